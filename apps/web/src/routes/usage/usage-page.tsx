// Usage: where the money went — spend over time stacked by model, agent, project or person, the groups'
// totals, the costliest tasks, the budget limits and how much of each is used, the last hour live, and the
// raw calls as CSV. The view (grouping, range, bucket) lives in the address.
import { USAGE_GRANULARITIES } from "@crewdeck/domain";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import type { BudgetLimit } from "../../components/budgets/budget-labels";
import { BudgetUsageList } from "../../components/budgets/budget-usage-list";
import { QueryState } from "../../components/ui/states";
import { budgetLines } from "../../components/usage/budget-lines";
import { ChoiceGroup } from "../../components/usage/choice-group";
import { CsvDownloadButton } from "../../components/usage/csv-download-button";
import { LiveHour } from "../../components/usage/live-hour";
import { NoUsageYet } from "../../components/usage/no-usage-yet";
import { SpendChart } from "../../components/usage/spend-chart";
import { spendSeries, type UsageAnalytics } from "../../components/usage/spend-series";
import { TopTasks } from "../../components/usage/top-tasks";
import { UsageGroupsTable } from "../../components/usage/usage-groups-table";
import {
  browserTimeZone,
  GRANULARITY_LABELS,
  GROUPING_LABELS,
  groupingLabel,
  RANGE_DAYS,
  RANGE_LABELS,
  readUsageView,
  toAnalyticsInput,
  USAGE_GROUPINGS,
  type UsageView,
  type UsageViewKey,
  usageExportPath,
  withUsageView,
} from "../../components/usage/usage-params";
import { formatTokens, formatUsd } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";

const GRANULARITIES = USAGE_GRANULARITIES.map((g) => [g, GRANULARITY_LABELS[g]] as const);

export default function UsagePage() {
  usePageTitle("Usage");
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const view = readUsageView(params);
  const tz = useMemo(browserTimeZone, []);
  const set = <K extends UsageViewKey>(key: K, value: UsageView[K]) =>
    setParams((current) => withUsageView(current, key, value), { replace: true });

  const analytics = useQuery({
    ...trpc.usage.analytics.queryOptions(toAnalyticsInput(view, tz)),
    // A new grouping or range keeps the old chart on screen until the new figures arrive.
    placeholderData: keepPreviousData,
  });
  const limits = useQuery(trpc.budgets.limits.list.queryOptions({ limit: 100 }));
  const activeLimits = (limits.data?.items ?? []).filter((limit) => limit.isActive);

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 p-4 sm:p-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Usage</h1>
          <p className="text-sm text-muted">What model calls cost, by model, agent, project and person.</p>
        </div>
        {analytics.data && analytics.data.summary.calls > 0 && (
          <CsvDownloadButton path={usageExportPath({ kind: "site" }, analytics.data.range)} />
        )}
      </header>

      <div className="flex flex-wrap gap-4">
        <ChoiceGroup
          label="Group by"
          value={view.groupBy}
          options={USAGE_GROUPINGS.map((g) => [g, GROUPING_LABELS[g]] as const)}
          onChange={(value) => set("groupBy", value)}
        />
        <ChoiceGroup
          label="Range"
          value={view.days}
          options={RANGE_DAYS.map((d) => [d, RANGE_LABELS[d]] as const)}
          onChange={(value) => set("days", value)}
        />
        <ChoiceGroup
          label="Per"
          value={view.granularity}
          options={GRANULARITIES}
          onChange={(value) => set("granularity", value)}
        />
      </div>

      <QueryState query={analytics} loading="Loading usage…">
        {(data) =>
          data.summary.calls === 0 ? <NoUsageYet /> : <UsageFigures data={data} limits={activeLimits} />
        }
      </QueryState>

      {activeLimits.length > 0 && (
        <section aria-labelledby="limits-heading" className="flex flex-col gap-2">
          <h2 id="limits-heading" className="font-semibold">
            Budget limits
          </h2>
          <BudgetUsageList limits={activeLimits} />
        </section>
      )}

      <section aria-labelledby="top-tasks-heading" className="flex flex-col gap-2">
        <h2 id="top-tasks-heading" className="font-semibold">
          Top tasks
        </h2>
        <TopTasks timeRange={view.days} tz={tz} />
      </section>

      <section aria-labelledby="live-heading" className="flex flex-col gap-2">
        <h2 id="live-heading" className="font-semibold">
          The last hour
        </h2>
        <LiveHour />
      </section>
    </div>
  );
}

/**
 * The figures of the report answered. Its headings follow the data on screen rather than the address, so
 * while a new grouping loads the old chart keeps its own name.
 */
function UsageFigures({ data, limits }: { data: UsageAnalytics; limits: BudgetLimit[] }) {
  const chart = useMemo(() => spendSeries(data), [data]);
  const colours = useMemo(() => new Map(chart.series.map((s) => [s.key.slice(2), s.colour])), [chart]);
  const granularity = data.range.granularity;
  const groupLabel = groupingLabel(data.groupBy);
  const title = `Spend per ${granularity} by ${groupLabel.toLowerCase()}`;
  return (
    <>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {[
          ["Spend", formatUsd(data.summary.totalCostUsd)],
          ["Calls", formatTokens(data.summary.calls)],
          ["Input tokens", formatTokens(data.summary.inputTokens)],
          ["Output tokens", formatTokens(data.summary.outputTokens)],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-border bg-surface p-3">
            <dt className="text-xs font-medium uppercase tracking-wide text-muted">{label}</dt>
            <dd className="mt-1 text-lg font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="spend-chart-heading" className="flex flex-col gap-2">
        <h2 id="spend-chart-heading" className="font-semibold">
          {title}
        </h2>
        <SpendChart
          title={`${title}, ${data.range.startDate} to ${data.range.endDate}`}
          series={chart.series}
          rows={chart.rows}
          lines={budgetLines(limits, granularity)}
        />
        <UsageGroupsTable label={groupLabel} groups={data.groups} summary={data.summary} colours={colours} />
      </section>
    </>
  );
}
