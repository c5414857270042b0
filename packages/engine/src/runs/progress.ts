// How far a task's latest run has got, as task pages and `task_progress` events report it.
import { type Executor, preparedOn, schema } from "@crewdeck/db";
import { and, desc, eq, inArray, sql } from "drizzle-orm";

export type TaskProgress = { completed: number; total: number; percentage: number };

/** The task's latest run and the count of its finished steps, in one statement. */
const latestRunProgress = preparedOn((db) => {
  const s = schema.runSteps;
  const done = sql<number>`(select count(*) from ${s} where ${and(
    eq(s.runId, schema.runs.id),
    inArray(s.status, ["completed", "skipped"]),
  )})`.mapWith(Number);
  return db
    .select({ id: schema.runs.id, totalSteps: schema.runs.totalSteps, done })
    .from(schema.runs)
    .where(eq(schema.runs.taskId, sql.placeholder("taskId")))
    .orderBy(desc(schema.runs.createdAt), desc(schema.runs.id))
    .limit(1)
    .prepare();
});

/**
 * Progress of the task's latest run. Skipped steps count as done: a run that skips one finishes at 100%.
 * A task that never ran reports zeros.
 */
export async function taskProgress(db: Executor, taskId: string): Promise<TaskProgress> {
  const run = await latestRunProgress(db).get({ taskId });
  if (!run) return { completed: 0, total: 0, percentage: 0 };
  const completed = run.done;
  const total = run.totalSteps;
  return { completed, total, percentage: total === 0 ? 0 : Math.round((completed / total) * 100) };
}
