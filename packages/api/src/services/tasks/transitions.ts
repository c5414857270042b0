// Which status a task may move to from each status, for people editing it by hand.
import type { schema } from "@crewdeck/db";
import { conflict } from "../../errors";
import { TASK_TRANSITIONS } from "./task-transitions";

type TaskStatus = schema.TaskStatus;

/** Throws 409 CONFLICT with `{ from, to, allowed }` unless the move is allowed; staying put is always fine. */
export function assertTransition(from: TaskStatus, to: TaskStatus): void {
  if (from === to) return;
  const allowed = TASK_TRANSITIONS[from];
  if (!allowed.includes(to)) {
    throw conflict(`A task cannot move from ${from} to ${to}`, { from, to, allowed });
  }
}
