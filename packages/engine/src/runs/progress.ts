// How far a task's latest run has got, as task pages and `task_progress` events report it.
import { type Executor, schema } from "@crewdeck/db";
import { and, count, desc, eq, inArray } from "drizzle-orm";

export type TaskProgress = { completed: number; total: number; percentage: number };

/**
 * Progress of the task's latest run. Skipped steps count as done: a run that skips one finishes at 100%.
 * A task that never ran reports zeros.
 */
export async function taskProgress(db: Executor, taskId: string): Promise<TaskProgress> {
  const [run] = await db
    .select({ id: schema.runs.id, totalSteps: schema.runs.totalSteps })
    .from(schema.runs)
    .where(eq(schema.runs.taskId, taskId))
    .orderBy(desc(schema.runs.createdAt), desc(schema.runs.id))
    .limit(1);
  if (!run) return { completed: 0, total: 0, percentage: 0 };
  const [done] = await db
    .select({ n: count() })
    .from(schema.runSteps)
    .where(and(eq(schema.runSteps.runId, run.id), inArray(schema.runSteps.status, ["completed", "skipped"])));
  const completed = done?.n ?? 0;
  const total = run.totalSteps;
  return { completed, total, percentage: total === 0 ? 0 : Math.round((completed / total) * 100) };
}
