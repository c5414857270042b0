// A budget limit as the API serves it: its settings in USD, and what its scope has spent this period.

import { type Executor, iso, microsToUsd, type schema } from "@crewdeck/db";
import { describeLimitScope, measureLimitSpend, percentOf } from "@crewdeck/engine";

type LimitRow = typeof schema.budgetLimits.$inferSelect;

export async function toLimitDto(db: Executor, limit: LimitRow, now: Date) {
  const [scope, spend] = await Promise.all([
    describeLimitScope(db, limit),
    measureLimitSpend(db, limit, now),
  ]);
  return {
    id: limit.id,
    name: limit.name,
    scopeType: limit.scopeType,
    scopeId: limit.scopeId,
    scopeName: scope.name,
    amountUsd: microsToUsd(limit.amountMicros),
    period: limit.period,
    alertThreshold: limit.alertThreshold,
    actionOnExceed: limit.actionOnExceed,
    isActive: limit.isActive,
    // Money spent; the worst-case holds of calls in flight are not spend, though a block limit counts them.
    spentUsd: microsToUsd(spend.settledMicros),
    percentage: percentOf(spend.settledMicros, limit.amountMicros),
    periodStart: iso(spend.periodStart),
    createdAt: iso(limit.createdAt),
    updatedAt: iso(limit.updatedAt),
  };
}

export type BudgetLimitDto = Awaited<ReturnType<typeof toLimitDto>>;
