// The task's latest run: its status and progress, the pipeline's steps and the log. Live events refresh it
// (see live/live-events.tsx); while the event stream is down, an active run is polled instead.
import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { useLiveState } from "../../live/live-events";
import { Badge, humanStatus, statusTone } from "../ui/badge";
import { ProgressBar } from "../ui/progress-bar";
import { Empty, Failed, Loading } from "../ui/states";
import { PipelineSteps } from "./pipeline-steps";
import { RunLogs } from "./run-logs";
import { isRunActive, runProgress } from "./run-metrics";
import { useNow } from "./use-now";

const POLL_MS = 5000;

export function RunPanel({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const live = useLiveState();
  const orchestration = useQuery({
    ...trpc.runs.orchestration.queryOptions({ taskId }),
    refetchInterval: (query) =>
      live !== "live" && isRunActive(query.state.data?.run?.status) ? POLL_MS : false,
  });
  const steps = orchestration.data?.steps ?? [];
  const now = useNow(steps.some((step) => step.status === "running"));

  if (orchestration.isPending) return <Loading label="Loading the pipeline…" />;
  if (!orchestration.data)
    return <Failed error={orchestration.error} onRetry={() => void orchestration.refetch()} />;

  const { run, logs } = orchestration.data;
  if (!run) {
    return <Empty title="Not started yet">Start the task to send it through the crew's pipeline.</Empty>;
  }
  const progress = runProgress(steps);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium">Run</span>
          <Badge tone={statusTone(run.status)}>{humanStatus(run.status)}</Badge>
          <span className="text-muted">
            {progress.completed} of {progress.total} steps · started{" "}
            {formatDateTime(run.startedAt ?? run.createdAt)}
            {run.completedAt && ` · ended ${formatDateTime(run.completedAt)}`}
          </span>
        </div>
        <ProgressBar percentage={progress.percentage} label="Pipeline progress" />
        {run.instructions && (
          <p className="text-sm">
            <span className="text-muted">Instructions: </span>
            <span className="whitespace-pre-wrap">{run.instructions}</span>
          </p>
        )}
        {run.error && (
          <p role="alert" className="rounded-md bg-danger-bg px-3 py-2 text-sm text-danger">
            {run.error}
          </p>
        )}
        {run.reason && <p className="text-sm text-muted">{run.reason}</p>}
      </div>
      {steps.length > 0 ? (
        <PipelineSteps steps={steps} now={now} />
      ) : (
        <p className="text-sm text-muted">The steps appear as soon as the run is planned.</p>
      )}
      <RunLogs logs={logs} />
    </div>
  );
}
