// The step executor seam (STYLE.md): the run engine hands each step over as `{ runId, stepIndex }` and
// the step reads everything else from the database. In-process today; a BullMQ worker can take its place.
import type { EngineLogger } from "../engine-deps";
import { createWorkTracker } from "../work-tracker";

export type StepJob = { runId: string; stepIndex: number };

/**
 * Agents' replies to one message, in answering order, each with the budget held for it (`planReplies`):
 * everything else is read from the database when the job runs.
 */
export type ReplyJob = {
  conversationId: string;
  userId: string;
  replyToId: string;
  /**
   * The conversation's `replyStops` when the round was planned: the replies not begun once it has grown are
   * skipped. Absent on jobs queued before it existed: the count when the job starts.
   */
  stops?: number;
  replies: { agentId: string; reservationId: string; retryOf?: string }[];
};

export type EnqueueOptions = {
  /** Not before this many milliseconds (a step whose lease another process still holds; BullMQ's `delay`). */
  delayMs?: number;
};

export interface StepExecutor {
  enqueue(job: StepJob, options?: EnqueueOptions): void;
  /**
   * Chat replies as a job of their own, so another process answers them again after a crash. Absent in
   * process: replies then stream from the process that took the message (chat/reply.ts).
   */
  enqueueReplies?(job: ReplyJob): void;
  /** Resolves when no step is running or queued (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}

/** Runs each job as soon as it is enqueued; runs are independent, and a run enqueues one step at a time. */
export function createInProcessExecutor(
  handle: (job: StepJob) => Promise<void>,
  logger: EngineLogger,
): StepExecutor {
  const running = createWorkTracker();
  /** Delayed jobs still waiting: closing drops them (the lease they wait out is another process's). */
  const waiting = new Map<NodeJS.Timeout, () => void>();
  let closed = false;
  const wait = (delayMs: number) =>
    new Promise<boolean>((resolve) => {
      if (delayMs <= 0) return void setImmediate(() => resolve(true));
      const timer = setTimeout(() => {
        waiting.delete(timer);
        resolve(true);
      }, delayMs);
      waiting.set(timer, () => resolve(false));
    });
  return {
    enqueue(job, options = {}) {
      if (closed) return;
      // A macrotask later at least, so the caller's transaction and events are out before the step reads them.
      running.track(
        wait(options.delayMs ?? 0)
          .then((due) => (due ? handle(job) : undefined))
          .catch((error) =>
            logger.error(`Step ${job.stepIndex} of run ${job.runId} failed to execute`, error),
          ),
      );
    },
    idle: () => running.idle(),
    async close() {
      closed = true;
      for (const [timer, drop] of waiting) {
        clearTimeout(timer);
        drop();
      }
      waiting.clear();
      await running.idle();
    },
  };
}
