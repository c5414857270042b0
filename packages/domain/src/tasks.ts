// Tasks: their kinds and statuses, and who may move a task between statuses — a person by hand, or the
// engine as the task's run starts and ends.
import { canMove, type Moves, movesFrom } from "./moves";

export const TASK_TYPES = [
  "feature",
  "bug",
  "enhancement",
  "documentation",
  "testing",
  "debug",
  "ask",
] as const;
export const TASK_PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export const TASK_COMPLEXITIES = ["simple", "moderate", "complex", "expert"] as const;
/** In the order work flows (the board's columns), then the two ways it can end early. */
export const TASK_STATUSES = [
  "backlog",
  "pending",
  "in_progress",
  "testing",
  "review",
  "completed",
  "failed",
  "cancelled",
] as const;
export const TASK_RESULT_TYPES = ["pull_request", "output"] as const;

export type TaskType = (typeof TASK_TYPES)[number];
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export type TaskComplexity = (typeof TASK_COMPLEXITIES)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskResultType = (typeof TASK_RESULT_TYPES)[number];

/** Who moves a task: a person editing it, or the engine running it. */
export type TaskMover = "person" | "engine";

/**
 * The moves a person may make by hand. Work flows backlog → pending → in_progress → testing → review →
 * completed; each step may go back one (and review straight back to in_progress, which is what a rejected
 * review means). Cancelling is open to every unfinished status; failing only once work was queued or under
 * way, since nothing can fail in the backlog. Failed and cancelled tasks are retried from backlog or
 * pending. Completed is final except for reopening to the backlog. (Marking a task complete is its own
 * action, POST /tasks/{id}/complete, with its own rule.)
 */
const PERSON_MOVES: Moves<TaskStatus> = {
  backlog: ["pending", "cancelled"],
  pending: ["in_progress", "backlog", "cancelled", "failed"],
  in_progress: ["testing", "pending", "cancelled", "failed"],
  testing: ["review", "in_progress", "cancelled", "failed"],
  review: ["completed", "testing", "in_progress", "cancelled", "failed"],
  completed: ["backlog"],
  failed: ["backlog", "pending"],
  cancelled: ["backlog", "pending"],
};

/**
 * The moves the engine makes, and only these four targets: starting a run puts the task in_progress (from
 * any status but completed: a fresh task, a retry after failure or cancellation, a re-run after review);
 * the run's end puts it in review (the crew is done, a person checks the result), failed (a step failed or
 * the run was interrupted) or cancelled (a person cancelled the run). A person may move the task by hand
 * while its run goes on, so the run's end lands wherever the task then stands. Completed is final for the
 * engine: a person declared the task done, and a run that was still going does not undo that. The engine
 * never moves a task to backlog, pending, testing or completed.
 */
const ENGINE_MOVES: Moves<TaskStatus> = {
  backlog: ["in_progress", "review", "failed", "cancelled"],
  pending: ["in_progress", "review", "failed", "cancelled"],
  in_progress: ["review", "failed", "cancelled"],
  testing: ["in_progress", "review", "failed", "cancelled"],
  review: ["in_progress", "failed", "cancelled"],
  completed: [],
  failed: ["in_progress", "review", "cancelled"],
  cancelled: ["in_progress", "review", "failed"],
};

export const TASK_MOVES: { readonly [By in TaskMover]: Moves<TaskStatus> } = {
  person: PERSON_MOVES,
  engine: ENGINE_MOVES,
};

/** Whether `by` may move a task `from → to`; staying put is always fine. */
export const canMoveTask = (by: TaskMover, from: TaskStatus, to: TaskStatus): boolean =>
  canMove(TASK_MOVES[by], from, to);

/** The statuses `by` may move a task to from `from`. */
export const taskMovesFrom = (by: TaskMover, from: TaskStatus): readonly TaskStatus[] =>
  movesFrom(TASK_MOVES[by], from);
