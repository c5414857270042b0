// Each active budget limit with how much of it this period has used.
import { formatUsd } from "../../lib/format";
import { ProgressBar } from "../ui/progress-bar";
import { type BudgetLimit, formatPercent, PERIOD_LABELS, scopeLabel } from "./budget-labels";
import { limitState } from "./budget-status";

const COLOURS = {
  ok: null,
  warning: "var(--color-warning, #b45309)",
  exceeded: "var(--color-danger)",
} as const;

export function BudgetUsageList({ limits }: { limits: readonly BudgetLimit[] }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2">
      {limits.map((limit) => (
        <li
          key={limit.id}
          className="flex flex-col gap-1.5 rounded-lg border border-border bg-surface p-3 text-sm"
        >
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <span className="font-medium">{limit.name}</span>
            <span className="text-xs text-muted">
              {PERIOD_LABELS[limit.period]} · {scopeLabel(limit)}
            </span>
          </div>
          <ProgressBar
            percentage={limit.percentage}
            label={`${limit.name}: ${formatPercent(limit.percentage)} used`}
            colour={COLOURS[limitState(limit)]}
          />
          <span className="text-muted">
            {formatUsd(limit.spentUsd)} of {formatUsd(limit.amountUsd)} ({formatPercent(limit.percentage)})
          </span>
        </li>
      ))}
    </ul>
  );
}
