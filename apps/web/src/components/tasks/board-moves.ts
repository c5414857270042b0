// What dropping a card on a column means, by the server's own transition table (@crewdeck/domain): a move
// to make, nothing (the same column), or a refusal that says why and where the task may go instead.
import { canMoveTask, taskMovesFrom } from "@crewdeck/domain";
import { statusLabel, type TaskStatus } from "./task-options";

export type BoardMove =
  | { kind: "none" }
  | { kind: "move"; to: TaskStatus }
  | { kind: "refused"; message: string };

export function boardMove(from: TaskStatus, to: TaskStatus): BoardMove {
  if (from === to) return { kind: "none" };
  if (canMoveTask("person", from, to)) return { kind: "move", to };
  const allowed = taskMovesFrom("person", from).map(statusLabel);
  return {
    kind: "refused",
    message: `A task cannot move from ${statusLabel(from)} to ${statusLabel(to)}. From ${statusLabel(from)} it may move to ${
      allowed.length > 0 ? allowed.join(", ") : "nowhere by hand"
    }.`,
  };
}
