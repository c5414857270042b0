// Budget limits (§2.9): listed as the viewer may see them, changed by those who answer for their scope.

import { type Executor, type PageRequest, pageOffset, schema, toPage, usdToMicros } from "@crewdeck/db";
import { periodStart } from "@crewdeck/engine";
import { and, asc, count, eq, gte } from "drizzle-orm";
import { invalid } from "../../errors";
import { changedFields } from "../../lib/changes";
import { authorizeLimitScope, type BudgetViewer, loadManageableLimit, visibleLimits } from "./limit-access";
import { toLimitDto } from "./limit-dto";

type LimitRow = typeof schema.budgetLimits.$inferSelect;

export type LimitSettings = {
  name: string;
  amountUsd: number;
  period: schema.BudgetPeriod;
  alertThreshold: number;
  actionOnExceed: schema.BudgetAction;
};
export type CreateLimitInput = LimitSettings & { scopeType: schema.BudgetScopeType; scopeId?: string | null };
export type UpdateLimitInput = Partial<LimitSettings> & { isActive?: boolean };

export async function listLimits(db: Executor, viewer: BudgetViewer, page: PageRequest, now: Date) {
  const l = schema.budgetLimits;
  const where = visibleLimits(db, viewer);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(l)
      .where(where)
      .orderBy(asc(l.createdAt), asc(l.id))
      .limit(page.limit)
      .offset(pageOffset(page)),
    db.select({ n: count() }).from(l).where(where),
  ]);
  const items = await Promise.all(rows.map((row) => toLimitDto(db, row, now)));
  return toPage(items, total?.n ?? 0, page);
}

/** A global limit has no scope id; every other scope needs one (the contract's `scopeId?`). */
function checkScopeId(scopeType: schema.BudgetScopeType, scopeId: string | null | undefined): string | null {
  if (scopeType === "global") {
    if (scopeId) {
      throw invalid("A global limit has no scopeId", [
        { field: "scopeId", message: "Omit it for global limits" },
      ]);
    }
    return null;
  }
  if (!scopeId) {
    throw invalid(`A ${scopeType} limit needs the ${scopeType}'s id`, [
      { field: "scopeId", message: `Required when scopeType is ${scopeType}` },
    ]);
  }
  return scopeId;
}

export async function createLimit(db: Executor, viewer: BudgetViewer, input: CreateLimitInput, now: Date) {
  const scopeId = checkScopeId(input.scopeType, input.scopeId);
  await authorizeLimitScope(db, viewer, input.scopeType, scopeId);
  const [row] = await db
    .insert(schema.budgetLimits)
    .values({
      name: input.name,
      scopeType: input.scopeType,
      scopeId,
      amountMicros: usdToMicros(input.amountUsd),
      period: input.period,
      alertThreshold: input.alertThreshold,
      actionOnExceed: input.actionOnExceed,
      createdById: viewer.userId,
    })
    .returning();
  return toLimitDto(db, row!, now);
}

/** Alerts already sent this period described the old figures; dropping them lets the new ones alert. */
async function forgetCurrentAlerts(tx: Executor, before: LimitRow, after: LimitRow, now: Date) {
  const since = Math.min(periodStart(before.period, now).getTime(), periodStart(after.period, now).getTime());
  await tx
    .delete(schema.budgetAlerts)
    .where(
      and(eq(schema.budgetAlerts.limitId, after.id), gte(schema.budgetAlerts.periodStart, new Date(since))),
    );
}

export async function updateLimit(
  db: Executor,
  viewer: BudgetViewer,
  limitId: string,
  input: UpdateLimitInput,
  now: Date,
) {
  const before = await loadManageableLimit(db, viewer, limitId);
  const { amountUsd, ...rest } = input;
  const changes = changedFields({
    ...rest,
    ...(amountUsd !== undefined && { amountMicros: usdToMicros(amountUsd) }),
  });
  if (!changes) return toLimitDto(db, before, now);
  const after = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(schema.budgetLimits)
      .set(changes)
      .where(eq(schema.budgetLimits.id, limitId))
      .returning();
    const figuresChanged =
      row!.amountMicros !== before.amountMicros ||
      row!.alertThreshold !== before.alertThreshold ||
      row!.period !== before.period;
    if (figuresChanged) await forgetCurrentAlerts(tx, before, row!, now);
    return row!;
  });
  return toLimitDto(db, after, now);
}

export async function deleteLimit(db: Executor, viewer: BudgetViewer, limitId: string): Promise<void> {
  await loadManageableLimit(db, viewer, limitId);
  // Its alerts go with it (foreign key cascade).
  await db.delete(schema.budgetLimits).where(eq(schema.budgetLimits.id, limitId));
}
