// Tokens and spend recorded against tasks.
import { type Executor, microsToUsd, schema } from "@crewdeck/db";
import { inArray, sql, sum } from "drizzle-orm";

export type TaskUsage = { totalTokens: number; totalCostUsd: number };

/** Usage for a page of tasks in one grouped query; tasks with no records get zeros. */
export async function usageForTasks(db: Executor, taskIds: string[]): Promise<Map<string, TaskUsage>> {
  const result = new Map(taskIds.map((id) => [id, { totalTokens: 0, totalCostUsd: 0 }]));
  if (taskIds.length === 0) return result;
  const u = schema.usageRecords;
  const rows = await db
    .select({
      taskId: u.taskId,
      tokens: sum(sql`${u.inputTokens} + ${u.outputTokens} + ${u.cacheReadTokens} + ${u.cacheWriteTokens}`),
      cost: sum(u.costMicros),
    })
    .from(u)
    .where(inArray(u.taskId, taskIds))
    .groupBy(u.taskId);
  for (const row of rows) {
    const usage = row.taskId ? result.get(row.taskId) : undefined;
    if (!usage) continue;
    usage.totalTokens = Number(row.tokens ?? 0);
    usage.totalCostUsd = microsToUsd(Number(row.cost ?? 0));
  }
  return result;
}
