// What a limit has used: settled spend (the usage records of its scope since its period began, the estimated
// ones of calls a crash cut off included) and the holds of calls still in flight. A call in flight counts
// through its hold while its usage row is pending, and through the row once settled: never twice.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq, gte, ne, type SQL, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { BudgetLimitRow } from "./covering-limits";
import { periodStart } from "./periods";

export type LimitScope = Pick<BudgetLimitRow, "scopeType" | "scopeId">;

type ScopedColumns = { userId: AnySQLiteColumn; projectId: AnySQLiteColumn; agentId: AnySQLiteColumn };

/** Usage records and reservations both carry user, project and agent: one rule selects a scope in either. */
function inScope(columns: ScopedColumns, scope: LimitScope): SQL | undefined {
  const id = scope.scopeId ?? "";
  switch (scope.scopeType) {
    case "global":
      return undefined;
    case "user":
      return eq(columns.userId, id);
    case "project":
      return eq(columns.projectId, id);
    case "agent":
      return eq(columns.agentId, id);
  }
}

const sumOf = (column: AnySQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/** Micro-dollars the scope's model calls were charged since `since` (calls in flight are held, not charged). */
export async function settledSpendMicros(db: Executor, scope: LimitScope, since: Date): Promise<number> {
  const u = schema.usageRecords;
  const [row] = await db
    .select({ total: sumOf(u.costMicros) })
    .from(u)
    .where(and(gte(u.createdAt, since), ne(u.status, "pending"), inScope(u, scope)));
  return row?.total ?? 0;
}

/** Micro-dollars held for the scope's calls in flight, whenever they started: each ends in this period. */
export async function heldMicros(db: Executor, scope: LimitScope): Promise<number> {
  const r = schema.budgetReservations;
  const [row] = await db
    .select({ total: sumOf(r.amountMicros) })
    .from(r)
    .where(and(eq(r.status, "held"), inScope(r, scope)));
  return row?.total ?? 0;
}

export type LimitSpend = { periodStart: Date; settledMicros: number; heldMicros: number };

/** A limit's settled spend in its current period, and what calls in flight hold against it. */
export async function measureLimitSpend(
  db: Executor,
  limit: LimitScope & Pick<BudgetLimitRow, "period">,
  now: Date,
): Promise<LimitSpend> {
  const start = periodStart(limit.period, now);
  const [settled, held] = await Promise.all([settledSpendMicros(db, limit, start), heldMicros(db, limit)]);
  return { periodStart: start, settledMicros: settled, heldMicros: held };
}

/** Spend as a percentage of the limit, to one decimal (an empty limit that has been spent from is 100 %). */
export const percentOf = (spentMicros: number, limitMicros: number): number =>
  limitMicros > 0 ? Math.round((spentMicros / limitMicros) * 1000) / 10 : spentMicros > 0 ? 100 : 0;
