// Spend today, this week and this month against the tightest limit over all of the viewer's usage.
import { formatUsd } from "../../lib/format";
import { formatPercent } from "./budget-labels";
import type { BudgetSummary } from "./budget-status";

const PERIODS = [
  ["today", "Today"],
  ["week", "This week"],
  ["month", "This month"],
] as const;

export function SpendSummary({ summary }: { summary: BudgetSummary }) {
  return (
    <dl className="grid gap-3 sm:grid-cols-3">
      {PERIODS.map(([key, label]) => {
        const figures = summary[key];
        return (
          <div key={key} className="rounded-lg border border-border bg-surface p-4">
            <dt className="text-xs font-medium uppercase tracking-wide text-muted">{label}</dt>
            <dd className="mt-1 text-2xl font-semibold">{formatUsd(figures.spentUsd)}</dd>
            <dd className="text-sm text-muted">
              {figures.limitUsd === null
                ? "No overall limit"
                : `of ${formatUsd(figures.limitUsd)} (${formatPercent(figures.percentage ?? 0)})`}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
