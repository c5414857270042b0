// What a limit has used: settled spend (the usage of its scope since its period began, read from the daily
// buckets, the estimated calls a crash cut off included) and the holds of calls still in flight. A call in
// flight counts through its hold while its usage row is pending, and through the row once settled: never twice.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq, gte, lt, ne, type SQL, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { BudgetLimitRow } from "./covering-limits";
import { periodStart } from "./periods";

export type LimitScope = Pick<BudgetLimitRow, "scopeType" | "scopeId">;

type ScopedColumns = { userId: AnySQLiteColumn; projectId: AnySQLiteColumn; agentId: AnySQLiteColumn };

/**
 * Usage records, their daily buckets and reservations all carry user, project and agent: one rule selects a
 * scope in each. `+` writes the comparison so that SQLite does not use an index on the column for it.
 */
function inScope(columns: ScopedColumns, scope: LimitScope, unindexed?: "+"): SQL | undefined {
  const id = scope.scopeId ?? "";
  const column =
    scope.scopeType === "user"
      ? columns.userId
      : scope.scopeType === "project"
        ? columns.projectId
        : scope.scopeType === "agent"
          ? columns.agentId
          : null;
  if (!column) return undefined;
  return unindexed ? sql`+${column} = ${id}` : eq(column, id);
}

const sumOf = (column: AnySQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

const DAY_MS = 86_400_000;

/**
 * Micro-dollars the scope's model calls were charged since `since` (calls in flight are held, not charged).
 * Read from the daily buckets, so a month of a busy scope costs its few hundred buckets rather than its
 * hundreds of thousands of calls. The buckets count a pending call at its estimate, so the pending rows of
 * the period are taken away again: they are the calls in flight, a handful whatever the history. A `since`
 * inside a day (periods start at midnight, so only a caller of this function's own) reads the rows up to
 * the next midnight, whose bucket would also hold the hours before it.
 */
export async function settledSpendMicros(db: Executor, scope: LimitScope, since: Date): Promise<number> {
  const d = schema.usageDaily;
  const u = schema.usageRecords;
  const from = since.getTime();
  const firstWholeDay = new Date(Math.ceil(from / DAY_MS) * DAY_MS);
  const [[buckets], [pending], [partialDay]] = await Promise.all([
    db
      .select({ total: sumOf(d.costMicros) })
      .from(d)
      .where(and(gte(d.day, firstWholeDay), inScope(d, scope))),
    // Unary `+` keeps SQLite off the scope's and the date's indexes, which would walk every row of the
    // period to find the few pending ones; the status index goes straight to them.
    db
      .select({ total: sumOf(u.costMicros) })
      .from(u)
      .where(and(eq(u.status, "pending"), sql`+${u.createdAt} >= ${from}`, inScope(u, scope, "+"))),
    firstWholeDay.getTime() === from
      ? [{ total: 0 }]
      : db
          .select({ total: sumOf(u.costMicros) })
          .from(u)
          .where(
            and(
              gte(u.createdAt, since),
              lt(u.createdAt, firstWholeDay),
              ne(u.status, "pending"),
              inScope(u, scope),
            ),
          ),
  ]);
  return (buckets?.total ?? 0) - (pending?.total ?? 0) + (partialDay?.total ?? 0);
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
