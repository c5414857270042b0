// One task on the board: what it is, whose, how urgent, who has it and how far its run has got.
import { useQuery } from "@tanstack/react-query";
import { Bot } from "lucide-react";
import { Link } from "react-router";
import { formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { ProgressBar } from "../ui/progress-bar";
import { PriorityBadge, ProjectTag } from "./task-meta";
import type { TaskListItem, TaskStatus } from "./task-options";
import { TaskStatusSelect } from "./task-status-select";
import type { AgentSummary, ProjectSummary } from "./use-task-lookups";

/** Only these can have a run moving; asking every card for its run would cost a request per task. */
const RUNNING_STATUSES: readonly TaskStatus[] = ["pending", "in_progress", "testing"];

function RunProgress({ taskId, title }: { taskId: string; title: string }) {
  const trpc = useTRPC();
  const status = useQuery(trpc.runs.status.queryOptions({ taskId }));
  const progress = status.data?.progress;
  if (!progress || progress.total === 0) return null;
  return (
    <div className="flex items-center gap-2">
      <ProgressBar percentage={progress.percentage} label={`Progress of ${title}`} />
      <span className="shrink-0 text-xs text-muted">
        {progress.completed}/{progress.total}
      </span>
    </div>
  );
}

export function TaskCard({
  task,
  project,
  agent,
  projectsLoading,
}: {
  task: TaskListItem;
  project: ProjectSummary | undefined;
  agent: AgentSummary | undefined;
  projectsLoading: boolean;
}) {
  return (
    <article className="flex min-w-0 flex-col gap-2 rounded-md border border-border bg-surface p-2 shadow-xs">
      <Link
        to={`/tasks/${task.id}`}
        className="break-words pr-5 text-sm font-medium hover:text-accent hover:underline"
      >
        {task.title}
      </Link>
      <div className="flex flex-wrap items-center gap-2">
        <ProjectTag project={task.projectId ? project : null} loading={!!task.projectId && projectsLoading} />
        <PriorityBadge priority={task.priority} />
      </div>
      {task.assignedToAgentId && (
        <p className="flex items-center gap-1 text-xs text-muted">
          <Bot size={12} aria-hidden />
          <span className="sr-only">Assigned to </span>
          {agent?.name ?? "An agent"}
        </p>
      )}
      {RUNNING_STATUSES.includes(task.status) && <RunProgress taskId={task.id} title={task.title} />}
      <div className="flex flex-wrap items-center justify-between gap-1">
        <TaskStatusSelect task={task} label={`Status of ${task.title}`} className="max-w-full" />
        <span className="text-xs text-muted" title={task.updatedAt}>
          {formatRelative(task.updatedAt)}
        </span>
      </div>
    </article>
  );
}
