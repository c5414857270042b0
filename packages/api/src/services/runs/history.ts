// A task's runs, newest first (issue "Agents that code", part 6): every run stays, with who started it, what
// it cost and what it produced, so a cancelled or failed re-run never hides an earlier result.
import { type Executor, iso, isoOrNull, microsToUsd, schema } from "@crewdeck/db";
import { isRevisionRun } from "@crewdeck/engine";
import { desc, eq, inArray, sql } from "drizzle-orm";

type TaskRow = typeof schema.tasks.$inferSelect;

async function stepTotals(db: Executor, runIds: string[]) {
  if (runIds.length === 0)
    return new Map<
      string,
      { tokensIn: number; tokensOut: number; costMicros: number; completedSteps: number }
    >();
  const s = schema.runSteps;
  const rows = await db
    .select({
      runId: s.runId,
      tokensIn: sql<number>`coalesce(sum(${s.tokensIn}), 0)`,
      tokensOut: sql<number>`coalesce(sum(${s.tokensOut}), 0)`,
      costMicros: sql<number>`coalesce(sum(${s.costMicros}), 0)`,
      completedSteps: sql<number>`sum(case when ${s.status} = 'completed' then 1 else 0 end)`,
    })
    .from(s)
    .where(inArray(s.runId, runIds))
    .groupBy(s.runId);
  return new Map(
    rows.map((r) => [
      r.runId,
      {
        tokensIn: Number(r.tokensIn),
        tokensOut: Number(r.tokensOut),
        costMicros: Number(r.costMicros),
        completedSteps: Number(r.completedSteps),
      },
    ]),
  );
}

export async function listTaskRuns(db: Executor, task: TaskRow) {
  const r = schema.runs;
  const rows = await db
    .select({ run: r, startedBy: { id: schema.users.id, name: schema.users.name } })
    .from(r)
    .leftJoin(schema.users, eq(schema.users.id, r.startedById))
    .where(eq(r.taskId, task.id))
    .orderBy(desc(r.createdAt), desc(r.id));
  const totals = await stepTotals(
    db,
    rows.map(({ run }) => run.id),
  );
  const items = rows.map(({ run, startedBy }) => {
    const t = totals.get(run.id);
    const durationMs =
      run.startedAt && run.completedAt ? run.completedAt.getTime() - run.startedAt.getTime() : null;
    return {
      id: run.id,
      status: run.status,
      isRevision: isRevisionRun(run),
      instructions: run.instructions,
      startedBy: startedBy?.id ? startedBy : null,
      pipeline: run.pipeline,
      totalSteps: run.totalSteps,
      completedSteps: t?.completedSteps ?? 0,
      totals: {
        tokensIn: t?.tokensIn ?? 0,
        tokensOut: t?.tokensOut ?? 0,
        totalTokens: (t?.tokensIn ?? 0) + (t?.tokensOut ?? 0),
        costUsd: microsToUsd(t?.costMicros ?? 0),
        durationMs,
      },
      result: run.result ?? null,
      error: run.error,
      reason: run.reason,
      createdAt: iso(run.createdAt),
      startedAt: isoOrNull(run.startedAt),
      completedAt: isoOrNull(run.completedAt),
    };
  });
  return { taskId: task.id, items };
}

/**
 * The result of the task's newest run that produced one. The task's own result is cleared when a run
 * starts; if that run is then cancelled or fails, the earlier result still stands.
 */
export async function latestRunResult(db: Executor, taskId: string) {
  const r = schema.runs;
  const [row] = await db
    .select({ result: r.result })
    .from(r)
    .where(sql`${r.taskId} = ${taskId} and ${r.result} is not null`)
    .orderBy(desc(r.createdAt), desc(r.id))
    .limit(1);
  return row?.result ?? null;
}
