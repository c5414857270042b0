// The step executor on BullMQ (QUEUE_URL): a run's steps and agents' chat replies are jobs in one Redis
// queue, taken by whichever worker process is free. A job id per step (`step:<runId>:<index>`) means a step
// is queued once however many processes ask; the step's lease in the database (step-lease.ts) stays the only
// guard against two workers running it. A worker that dies mid-job loses its job lock after `lockMs`, and
// BullMQ's stalled-job check hands the job to another worker, which takes the step over (its lease owner
// is gone) or answers the cut-off reply again.
import { type Job, Queue, Worker } from "bullmq";
import type { EngineLogger } from "../engine-deps";
import { createRedisConnection } from "../redis/connection";
import type { ReplyJob, StepExecutor, StepJob } from "../runs/step-executor";
import { createWorkTracker } from "../work-tracker";

export const QUEUE_NAME = "crewdeck-steps";

export type QueueExecutorOptions = {
  url: string;
  /** Jobs this process runs at once; 0: it only enqueues (a server in front of workers). */
  concurrency: number;
  /** How long a worker's hold on a job lasts without renewal; a dead worker's job moves on after it. */
  lockMs: number;
  /** Keys are `<prefix>:crewdeck-steps:…` (tests give each run its own). */
  prefix?: string;
  logger: EngineLogger;
  handleStep: (job: StepJob) => Promise<void>;
  handleReplies: (job: ReplyJob) => Promise<void>;
};

export type QueueState = {
  status: "ok" | "error";
  /** Jobs waiting, delayed and running across every process; null when Redis cannot be reached. */
  waiting: number | null;
  active: number | null;
  /** Worker processes connected to the queue. */
  workers: number | null;
  /** Jobs this process runs at once (0: it only enqueues). */
  concurrency: number;
};

export type QueueExecutor = StepExecutor & { state(): Promise<QueueState> };

const STATE_TIMEOUT_MS = 1_000;
const CLOSE_FLUSH_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export const stepJobId = (job: StepJob) => `step:${job.runId}:${job.stepIndex}`;
/** A plan's first reservation is unique to it, so one plan is queued once and two plans never collide. */
export const replyJobId = (job: ReplyJob) =>
  `replies:${job.replyToId}:${job.replies[0]?.reservationId ?? ""}`;

export function createQueueExecutor(options: QueueExecutorOptions): QueueExecutor {
  const { logger } = options;
  const prefix = options.prefix ?? "crewdeck";
  const queueConnection = createRedisConnection(options.url);
  queueConnection.on("error", (error) => logger.error("Queue: Redis connection error", error));
  const queue = new Queue(QUEUE_NAME, {
    connection: queueConnection,
    prefix,
    defaultJobOptions: {
      // A finished job frees its id, so the same step can be queued again after a pause and resume.
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    },
  });
  queue.on("error", (error) => logger.error("Queue error", error));
  const adding = createWorkTracker();
  const running = createWorkTracker();
  let closed = false;

  const add = (name: "step" | "replies", data: StepJob | ReplyJob, jobId: string, delayMs = 0) => {
    if (closed) return;
    adding.track(
      queue
        .add(name, data, { jobId, ...(delayMs > 0 && { delay: delayMs }) })
        .catch((error) => logger.error(`Could not queue ${jobId}`, error)),
    );
  };

  const worker =
    options.concurrency > 0
      ? new Worker(
          QUEUE_NAME,
          async (job: Job) => {
            const work =
              job.name === "replies"
                ? options.handleReplies(job.data as ReplyJob)
                : options.handleStep(job.data as StepJob);
            running.track(work);
            await work;
          },
          {
            connection: createRedisConnection(options.url),
            prefix,
            concurrency: options.concurrency,
            lockDuration: options.lockMs,
            stalledInterval: Math.max(1000, Math.floor(options.lockMs / 2)),
            // A step's own attempt counter (MAX_STEP_ATTEMPTS) decides when to give up, not BullMQ.
            maxStalledCount: 100,
          },
        )
      : null;
  worker?.on("error", (error) => logger.error("Queue worker error", error));
  worker?.on("failed", (job, error) => logger.error(`Queued job ${job?.id} failed`, error));

  return {
    enqueue(job, enqueueOptions = {}) {
      add("step", { runId: job.runId, stepIndex: job.stepIndex }, stepJobId(job), enqueueOptions.delayMs);
    },
    enqueueReplies(job) {
      add("replies", job, replyJobId(job));
    },
    async idle() {
      await adding.idle();
      await running.idle();
    },
    async close() {
      closed = true;
      // Jobs on their way to Redis go out first, unless Redis is gone (they would wait for it forever).
      await withTimeout(adding.idle(), CLOSE_FLUSH_MS).catch(() => {
        logger.error("Queue: some steps could not be queued before closing (Redis unreachable)");
      });
      // Waits for the jobs under way here (the server aborts their calls first, so they end soon).
      await worker?.close();
      await queue.close();
      await queueConnection.quit().catch(() => {});
    },
    async state() {
      try {
        // A Redis that is down would make the commands wait for it (they retry until it is back).
        const [counts, workers] = await withTimeout(
          Promise.all([
            queue.getJobCounts("waiting", "delayed", "prioritized", "active"),
            queue.getWorkersCount(),
          ]),
          STATE_TIMEOUT_MS,
        );
        return {
          status: "ok",
          waiting: (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          workers,
          concurrency: options.concurrency,
        };
      } catch {
        return {
          status: "error",
          waiting: null,
          active: null,
          workers: null,
          concurrency: options.concurrency,
        };
      }
    },
  };
}
