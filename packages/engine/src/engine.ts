// The agent engine as the app builds it once: the collaborators of EngineDeps plus what the engine keeps
// for itself (the running calls, the tool registry, the step executor and file access).
import type { CallRegistry } from "./calls/call-registry";
import type { CallControl } from "./control/call-control";
import type { EngineDeps } from "./engine-deps";
import type { QueueExecutor } from "./queue/bullmq-executor";
import type { StepExecutor } from "./runs/step-executor";
import type { StepLeases } from "./runs/step-lease";
import type { ToolRegistry } from "./tools/registry";
import type { WorkTracker } from "./work-tracker";

export type StoredFileReader = (storedName: string) => Promise<Buffer>;

export type Engine = EngineDeps & {
  calls: CallRegistry;
  tools: ToolRegistry;
  steps: StepExecutor;
  /** This process's leases on the steps it runs (the owner id, their length and heartbeats). */
  leases: StepLeases;
  /** Agents' chat replies being streamed (they run after the post that asked for them has returned). */
  replies: WorkTracker;
  /** The BullMQ queue the steps go through, when there is one (QUEUE_URL). */
  queue?: QueueExecutor;
  /** Aborts broadcast to and from the other processes, when Redis is configured. */
  control?: CallControl;
  /** Reads an uploaded file's bytes (attachments become vision input). */
  readFile: StoredFileReader;
};
