// The step executor seam (STYLE.md): the run engine hands each step over as `{ runId, stepIndex }` and
// the step reads everything else from the database. In-process today; a BullMQ worker can take its place.
import type { EngineLogger } from "../engine-deps";
import { createWorkTracker } from "../work-tracker";

export type StepJob = { runId: string; stepIndex: number };

export interface StepExecutor {
  enqueue(job: StepJob): void;
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
  let closed = false;
  return {
    enqueue(job) {
      if (closed) return;
      // A macrotask later, so the caller's transaction and events are out before the step reads them.
      running.track(
        new Promise<void>((resolve) => setImmediate(resolve))
          .then(() => handle(job))
          .catch((error) =>
            logger.error(`Step ${job.stepIndex} of run ${job.runId} failed to execute`, error),
          ),
      );
    },
    idle: () => running.idle(),
    async close() {
      closed = true;
      await running.idle();
    },
  };
}
