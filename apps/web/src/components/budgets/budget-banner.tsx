// The banner under the top bar of every page: a warning when a limit passes its alert threshold, a danger
// notice when one is reached, saying what that does. budget_alert events refresh both queries.
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, OctagonAlert } from "lucide-react";
import { Link } from "react-router";
import { formatUsd } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { cn } from "../ui/cn";
import { formatPercent } from "./budget-labels";
import { type BannerEntry, budgetBanner } from "./budget-status";

/** "Website daily: $8.10 of $10.00 (81%)" */
export const entryFigures = (entry: BannerEntry) =>
  `${entry.name}: ${formatUsd(entry.spentUsd)} of ${formatUsd(entry.limitUsd)} (${formatPercent(entry.percentage)})`;

export function BudgetBanner() {
  const trpc = useTRPC();
  const summary = useQuery({ ...trpc.budgets.summary.queryOptions(), staleTime: 30_000 });
  const limits = useQuery({ ...trpc.budgets.limits.list.queryOptions({ limit: 100 }), staleTime: 30_000 });
  // A banner that fails to load stays away: the budgets page shows the error where it matters.
  const banner = budgetBanner(summary.data, limits.data?.items);
  if (!banner) return null;

  const [first, ...rest] = banner.entries;
  if (!first) return null;
  const danger = banner.tone === "danger";
  const Icon = danger ? OctagonAlert : AlertTriangle;
  return (
    <div
      role={danger ? "alert" : "status"}
      className={cn(
        "flex flex-wrap items-center gap-x-3 gap-y-1 border-b px-4 py-2 text-sm",
        danger ? "border-danger/30 bg-danger-bg text-danger" : "border-warn/30 bg-warn-bg text-warn",
      )}
    >
      <Icon size={16} aria-hidden className="shrink-0" />
      <p className="min-w-0 flex-1">
        <span className="font-medium">
          {first.state === "exceeded" ? "Budget limit reached" : "Budget warning"}:{" "}
        </span>
        {entryFigures(first)}
        {first.consequence && <> — {first.consequence}</>}
        {rest.length > 0 && (
          <span className="ml-1 opacity-80">
            (and {rest.length} more {rest.length === 1 ? "limit" : "limits"})
          </span>
        )}
      </p>
      <Link to="/budgets" className="shrink-0 font-medium underline">
        Review budgets
      </Link>
    </div>
  );
}
