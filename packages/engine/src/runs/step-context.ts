// What every part of a step works with: the rows `executeStep` loaded and claimed, read once per attempt.
// A step executor in another process (BullMQ) builds the same thing from `{ runId, stepIndex }`.
import type { schema } from "@crewdeck/db";
import type { TaskWorkspace } from "../code/task-workspace";

export type RunRow = typeof schema.runs.$inferSelect;
export type StepRow = typeof schema.runSteps.$inferSelect;
export type TaskRow = typeof schema.tasks.$inferSelect;
export type AgentRow = typeof schema.agents.$inferSelect;

export type StepContext = {
  run: RunRow;
  /** As claimed for this attempt: running, with its message and its stored checkpoint, if any. */
  step: StepRow;
  task: TaskRow;
  agent: AgentRow;
  /** The task's working trees, for a step of a role that touches code in a task with repositories. */
  workspace?: TaskWorkspace | undefined;
  /** Aborts when another process took the step over: its model call and tools stop. */
  leaseLost?: AbortSignal | undefined;
};
