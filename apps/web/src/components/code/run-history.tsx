// Every run of the task, newest first: status, who started it, when, what it cost and what it produced. A
// cancelled or failed re-run stays in the list below nothing: earlier results keep their links.
import { useQuery } from "@tanstack/react-query";
import { formatDateTime, formatDuration, formatTokens, formatUsd } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { Badge, humanStatus, statusTone } from "../ui/badge";
import { Empty, Failed, Loading } from "../ui/states";
import { describeRun } from "./code-view";

export function RunHistory({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const runs = useQuery(trpc.runs.history.queryOptions({ taskId }));
  if (runs.isPending) return <Loading label="Loading the runs…" />;
  if (runs.error) return <Failed error={runs.error} onRetry={() => void runs.refetch()} />;
  if (runs.data.items.length === 0) {
    return <Empty title="No runs yet">Start the task and each run of its crew is listed here.</Empty>;
  }
  return (
    <ol className="flex flex-col gap-2" aria-label="Runs, newest first">
      {runs.data.items.map((run, index) => {
        const { kind, outcome, isCurrent } = describeRun(run, index);
        return (
          <li
            key={run.id}
            className="rounded-md border border-border p-3 text-sm"
            aria-current={isCurrent ? "true" : undefined}
          >
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{kind}</span>
              <Badge tone={statusTone(run.status)}>{humanStatus(run.status)}</Badge>
              {isCurrent && <Badge tone="accent">current</Badge>}
              <span className="text-muted">
                {formatDateTime(run.startedAt ?? run.createdAt)}
                {run.startedBy ? ` · by ${run.startedBy.name}` : ""}
              </span>
            </div>
            <p className="mt-1 text-muted">
              {run.completedSteps}/{run.totalSteps} steps · {formatTokens(run.totals.totalTokens)} tokens ·{" "}
              {formatUsd(run.totals.costUsd)}
              {run.totals.durationMs !== null ? ` · ${formatDuration(run.totals.durationMs)}` : ""}
            </p>
            <p className="mt-1">
              {run.result?.pullRequestUrl ? (
                <a href={run.result.pullRequestUrl} target="_blank" rel="noreferrer" className="underline">
                  Pull request
                </a>
              ) : (
                <span className="text-muted">{outcome}</span>
              )}
            </p>
          </li>
        );
      })}
    </ol>
  );
}
