// The one way the engine writes a task's, run's or step's status: each write is checked against the
// transition tables in @crewdeck/domain and guarded by the statuses it may move from.
import { type Executor, schema } from "@crewdeck/db";
import {
  canMoveRun,
  canMoveStep,
  movesInto,
  type RunStatus,
  type RunStepStatus,
  TASK_MOVES,
  type TaskStatus,
} from "@crewdeck/domain";
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { SQLiteTable, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";

/** The other columns written with the status. */
type Fields<T extends SQLiteTable> = Omit<SQLiteUpdateSetSource<T>, "status">;

/**
 * A move the table forbids is a programming error, so it throws rather than logs: whether it is legal
 * depends only on the call site (the statuses it names), never on the data, so the first test that takes
 * the path fails, and nothing is written since the throw comes before the write (inside a transaction,
 * the whole transaction rolls back). What the data decides is left to the guard: a row that is no longer
 * in a status the move starts from (paused, cancelled or completed by someone who got there first) is
 * left alone, and the caller sees that no row moved.
 */
function checkMoves<S extends string>(
  kind: string,
  canMove: (from: S, to: S) => boolean,
  from: readonly S[],
  to: S,
): void {
  const illegal = from.filter((status) => !canMove(status, to));
  if (from.length === 0 || illegal.length > 0) {
    throw new Error(`The engine may not move a ${kind} from ${illegal.join(", ") || "no status"} to ${to}`);
  }
}

/** Moves the runs matching `where` that are in one of `from` to `to`; returns the runs moved. */
export function moveRuns(
  db: Executor,
  where: SQL | undefined,
  from: readonly RunStatus[],
  to: RunStatus,
  fields?: Fields<typeof schema.runs>,
) {
  checkMoves("run", canMoveRun, from, to);
  return db
    .update(schema.runs)
    .set({ ...fields, status: to })
    .where(and(where, inArray(schema.runs.status, from)))
    .returning();
}

/** Moves the steps matching `where` that are in one of `from` to `to`; returns the steps moved. */
export function moveSteps(
  db: Executor,
  where: SQL | undefined,
  from: readonly RunStepStatus[],
  to: RunStepStatus,
  fields?: Fields<typeof schema.runSteps>,
) {
  checkMoves("step", canMoveStep, from, to);
  return db
    .update(schema.runSteps)
    .set({ ...fields, status: to })
    .where(and(where, inArray(schema.runSteps.status, from)))
    .returning();
}

/**
 * Moves the task to `to` from any status the engine's table allows (and from `to` itself, so the other
 * fields still land). A task in any other status, that is a completed one, stays as it is: a person's word
 * that it is done outlasts a run that was still going. Returns the task's id if it moved.
 */
export async function moveTask(
  db: Executor,
  taskId: string,
  to: TaskStatus,
  fields?: Fields<typeof schema.tasks>,
): Promise<{ id: string } | undefined> {
  const from = movesInto(TASK_MOVES.engine, to);
  checkMoves("task", () => true, from, to);
  const [moved] = await db
    .update(schema.tasks)
    .set({ ...fields, status: to })
    .where(and(eq(schema.tasks.id, taskId), inArray(schema.tasks.status, [...from, to])))
    .returning({ id: schema.tasks.id });
  return moved;
}
