// A project's usage over the last 30 days: spend per day, the split by model, agent and person, its
// costliest tasks, and its calls as CSV.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { formatUsd } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { Panel } from "../projects/panel";
import { Empty, QueryState } from "../ui/states";
import { ChoiceGroup } from "./choice-group";
import { CsvDownloadButton } from "./csv-download-button";
import { SpendChart } from "./spend-chart";
import { trendSeries } from "./spend-series";
import { TopTasksTable } from "./top-tasks-table";
import { UsageGroupsTable } from "./usage-groups-table";
import { browserTimeZone, usageExportPath } from "./usage-params";
import { UsageTotals } from "./usage-totals";

const DAYS = 30;
const SPLITS = [
  ["byModel", "Model"],
  ["byAgent", "Agent"],
  ["byUser", "Person"],
] as const;
type Split = (typeof SPLITS)[number][0];

export function ProjectUsageSection({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const tz = useMemo(browserTimeZone, []);
  const [split, setSplit] = useState<Split>("byModel");
  const usage = useQuery(trpc.usage.project.queryOptions({ projectId, timeRange: DAYS, tz }));
  const csv = usage.data && (
    <CsvDownloadButton path={usageExportPath({ kind: "project", projectId }, usage.data.range)} />
  );
  return (
    <Panel
      title="Usage"
      description={`Model calls of the last ${DAYS} days${usage.data ? ` · ${formatUsd(usage.data.project.totalCostUsd)} all time` : ""}`}
      actions={usage.data && usage.data.summary.calls > 0 ? csv : undefined}
    >
      <QueryState query={usage} loading="Loading usage…">
        {(data) =>
          data.summary.calls === 0 ? (
            <Empty title={`No model calls in the last ${DAYS} days`} />
          ) : (
            <div className="flex flex-col gap-4">
              <UsageTotals summary={data.summary} />
              <SpendChart
                title={`${data.project.name}: spend per day, ${data.range.startDate} to ${data.range.endDate}`}
                {...trendSeries(data.dailyTrends, "day")}
              />
              <ChoiceGroup label="Split by" value={split} options={SPLITS} onChange={setSplit} />
              <UsageGroupsTable
                label={SPLITS.find(([key]) => key === split)?.[1] ?? ""}
                groups={data[split]}
                summary={data.summary}
              />
              {data.topTasks.length > 0 && (
                <div className="flex flex-col gap-2">
                  <h3 className="text-sm font-semibold">Top tasks</h3>
                  <TopTasksTable tasks={data.topTasks} />
                </div>
              )}
            </div>
          )
        }
      </QueryState>
    </Panel>
  );
}
