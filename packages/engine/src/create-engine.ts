// Builds the engine once per process.
import { CallRegistry } from "./calls/call-registry";
import { runReplyJob } from "./chat/reply-job";
import { connectCallControl } from "./control/call-control";
import type { Engine, StoredFileReader } from "./engine";
import type { EngineDeps } from "./engine-deps";
import { createQueueExecutor } from "./queue/bullmq-executor";
import { executeStep } from "./runs/execute-step";
import { createInProcessExecutor, type StepJob } from "./runs/step-executor";
import { createStepLeases, type StepLeaseOptions } from "./runs/step-lease";
import { queueStrandedSteps, stepStillDue } from "./runs/step-sweep";
import { createDefaultToolRegistry } from "./tools/default-tools";
import type { ToolRegistry } from "./tools/registry";
import { createWorkTracker } from "./work-tracker";

export type EngineQueueOptions = {
  /** `redis://…` of the BullMQ queue. */
  url: string;
  /** Steps and replies this process runs at once; 0: it only enqueues. */
  concurrency: number;
  /** Key prefix in Redis (tests keep theirs apart). */
  prefix?: string;
  /** How often stranded steps are queued again (default: half a step lease). */
  sweepIntervalMs?: number;
};

export function createEngine(
  deps: EngineDeps & {
    readFile: StoredFileReader;
    tools?: ToolRegistry;
    /** How long a step's lease lasts and how often it is renewed (defaults: 30 s, every 5 s). */
    stepLease?: Partial<StepLeaseOptions>;
    /** Steps and chat replies as BullMQ jobs, and aborts broadcast over Redis; unset: all in this process. */
    queue?: EngineQueueOptions;
  },
): Engine {
  const { stepLease, queue, ...rest } = deps;
  const engine = {
    ...rest,
    leases: createStepLeases(stepLease),
    calls: new CallRegistry(),
    tools: deps.tools ?? createDefaultToolRegistry(),
    replies: createWorkTracker(),
  } as Engine;
  if (!queue) {
    engine.steps = createInProcessExecutor((job) => executeStep(engine, job), deps.logger);
  } else {
    const executor = createQueueExecutor({
      url: queue.url,
      concurrency: queue.concurrency,
      lockMs: engine.leases.leaseMs,
      prefix: queue.prefix,
      logger: deps.logger,
      handleStep: (job) => runStepJob(engine, job),
      handleReplies: (job) => runReplyJob(engine, job),
    });
    engine.queue = executor;
    // Stranded steps (a dead worker's, a resume whose job was still finishing) are queued again.
    const sweep = () =>
      queueStrandedSteps(engine).catch((error) => deps.logger.error("Queueing stranded steps failed", error));
    const timer = setInterval(sweep, queue.sweepIntervalMs ?? Math.floor(engine.leases.leaseMs / 2));
    timer.unref();
    engine.steps = {
      ...executor,
      async close() {
        clearInterval(timer);
        await executor.close();
      },
    };
  }
  // Other processes run calls too: aborts reach them over the queue's Redis.
  if (queue) engine.control = connectCallControl(engine.calls, { url: queue.url, logger: deps.logger });
  return engine;
}

/**
 * One queued step. Its job id is taken while it runs, so what would queue the same step again meanwhile
 * (the step taken over here, a resume while the paused step was still finishing) is done here instead.
 */
async function runStepJob(engine: Engine, job: StepJob) {
  for (let round = 0; round < 5; round += 1) {
    await executeStep(engine, job);
    if (!(await stepStillDue(engine, job))) return;
  }
}
