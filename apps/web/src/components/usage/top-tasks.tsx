// The costliest tasks across the projects that spent most in the range. The site-wide report has no top
// tasks of its own, so the few costliest projects' reports are asked for theirs and merged.
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../lib/trpc";
import { Empty, QueryState } from "../ui/states";
import { type TopTask, TopTasksTable } from "./top-tasks-table";

const PROJECTS_ASKED = 5;
const TASKS_SHOWN = 10;

export function TopTasks({ timeRange, tz }: { timeRange: number; tz: string }) {
  const trpc = useTRPC();
  const byProject = useQuery(trpc.usage.byProject.queryOptions({ timeRange, tz }));
  const projectIds = (byProject.data?.items ?? [])
    .filter((item) => item.projectId && item.totalCostUsd > 0)
    .slice(0, PROJECTS_ASKED)
    .map((item) => item.projectId as string);
  const reports = useQueries({
    queries: projectIds.map((projectId) => trpc.usage.project.queryOptions({ projectId, timeRange, tz })),
  });
  const pending = byProject.isPending || reports.some((r) => r.isPending);
  const failed = byProject.error ?? reports.find((r) => r.error)?.error;
  const tasks: TopTask[] = reports
    .flatMap((r) => r.data?.topTasks ?? [])
    .sort((a, b) => b.totalCostUsd - a.totalCostUsd)
    .slice(0, TASKS_SHOWN);
  const query = {
    isPending: pending,
    error: failed,
    data: pending || failed ? undefined : tasks,
    refetch: () => Promise.all([byProject.refetch(), ...reports.map((r) => r.refetch())]),
  };
  return (
    <QueryState query={query} loading="Loading top tasks…">
      {(items) =>
        items.length === 0 ? (
          <Empty title="No task has used models in this range" />
        ) : (
          <TopTasksTable tasks={items} />
        )
      }
    </QueryState>
  );
}
