// Which budget limits a spend chart draws as lines: the active ones whose period is the chart's bucket (a
// daily limit over daily bars), since a monthly cap drawn over days would sit far above every bar.
import type { UsageGranularity } from "@crewdeck/domain";
import type { BudgetLimit, BudgetPeriod } from "../budgets/budget-labels";

const PERIOD_OF: Record<UsageGranularity, BudgetPeriod> = { day: "daily", week: "weekly", month: "monthly" };

export type BudgetLine = { id: string; name: string; amountUsd: number };

export function budgetLines(
  limits: ReadonlyArray<Pick<BudgetLimit, "id" | "name" | "amountUsd" | "period" | "isActive">>,
  granularity: UsageGranularity,
): BudgetLine[] {
  return limits
    .filter((limit) => limit.isActive && limit.period === PERIOD_OF[granularity])
    .map(({ id, name, amountUsd }) => ({ id, name, amountUsd }));
}
