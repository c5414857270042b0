// A person editing a task's status by hand: only the moves the person table in @crewdeck/domain allows.
import { canMoveTask, type TaskStatus, taskMovesFrom } from "@crewdeck/domain";
import { conflict } from "../../errors";

/** Throws 409 CONFLICT with `{ from, to, allowed }` unless the move is allowed; staying put is always fine. */
export function assertTransition(from: TaskStatus, to: TaskStatus): void {
  if (!canMoveTask("person", from, to)) {
    throw conflict(`A task cannot move from ${from} to ${to}`, {
      from,
      to,
      allowed: taskMovesFrom("person", from),
    });
  }
}
