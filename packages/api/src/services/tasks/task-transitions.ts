// The table of allowed task moves, free of server code so the web app imports the same table to offer only
// the moves the server will accept (package export `@crewdeck/api/task-transitions`).
import type { schema } from "@crewdeck/db";

type TaskStatus = schema.TaskStatus;

/**
 * The one table of allowed moves. Work flows backlog → pending → in_progress → testing → review →
 * completed; each step may go back one (and review straight back to in_progress, which is what a rejected
 * review means). Cancelling is open to every unfinished status; failing only once work was queued or under
 * way, since nothing can fail in the backlog. Failed and cancelled tasks are retried from backlog or
 * pending. Completed is final except for reopening to the backlog.
 */
export const TASK_TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  backlog: ["pending", "cancelled"],
  pending: ["in_progress", "backlog", "cancelled", "failed"],
  in_progress: ["testing", "pending", "cancelled", "failed"],
  testing: ["review", "in_progress", "cancelled", "failed"],
  review: ["completed", "testing", "in_progress", "cancelled", "failed"],
  completed: ["backlog"],
  failed: ["backlog", "pending"],
  cancelled: ["backlog", "pending"],
};
