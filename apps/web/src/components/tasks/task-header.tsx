// The top of a task: the way back to the board, its title, and the labels that say where it stands.
import { Bot, ChevronLeft } from "lucide-react";
import { Link } from "react-router";
import { formatRelative, formatTokens, formatUsd } from "../../lib/format";
import { roleLabel } from "../agents/agent-roles";
import { Badge } from "../ui/badge";
import { PriorityBadge, type ProjectLabel, ProjectTag, TaskStatusBadge } from "./task-meta";
import { complexityLabel, type Task, typeLabel } from "./task-options";

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex min-w-0 items-center gap-1.5">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="flex min-w-0 items-center text-sm">{children}</dd>
    </div>
  );
}

/** A run's steps as the header needs them: who works on the task, and who is at it now. */
export type CrewAtWork = readonly { agent: { name: string }; status: string }[];

/** "Architect (working now), Senior Developer, QA Engineer": each agent of the run once, in step order. */
export function describeCrewAtWork(steps: CrewAtWork): string | null {
  const order: string[] = [];
  const running = new Set<string>();
  for (const { agent, status } of steps) {
    if (!order.includes(agent.name)) order.push(agent.name);
    if (status === "running") running.add(agent.name);
  }
  if (order.length === 0) return null;
  return order.map((name) => (running.has(name) ? `${name} (working now)` : name)).join(", ");
}

export function TaskHeader({
  task,
  project,
  projectLoading,
  crewAtWork = [],
}: {
  task: Task;
  project: ProjectLabel | undefined;
  projectLoading: boolean;
  /** The latest run's steps; with nobody assigned, the agents of the run are who works on the task. */
  crewAtWork?: CrewAtWork;
}) {
  const crew = describeCrewAtWork(crewAtWork);
  return (
    <header className="flex flex-col gap-3">
      <Link
        to={task.projectId ? `/tasks?projectId=${task.projectId}` : "/tasks"}
        className="inline-flex w-fit items-center gap-1 text-sm text-muted hover:text-accent"
      >
        <ChevronLeft size={16} aria-hidden /> Back to tasks
      </Link>
      <h1 className="break-words text-2xl font-semibold">{task.title}</h1>
      <dl className="flex flex-wrap items-center gap-x-5 gap-y-2">
        <Meta label="Status">
          <TaskStatusBadge status={task.status} />
        </Meta>
        <Meta label="Priority">
          <PriorityBadge priority={task.priority} />
        </Meta>
        <Meta label="Project">
          {task.projectId && project ? (
            <Link to={`/projects/${task.projectId}`} className="hover:underline">
              <ProjectTag project={project} />
            </Link>
          ) : (
            <ProjectTag
              project={task.projectId ? project : null}
              loading={!!task.projectId && projectLoading}
            />
          )}
        </Meta>
        <Meta label="Assignee">
          {task.assignedAgent ? (
            <span className="inline-flex items-center gap-1">
              <Bot size={14} aria-hidden className="text-muted" />
              {task.assignedAgent.name}
              <span className="text-xs text-muted">({roleLabel(task.assignedAgent.role)})</span>
            </span>
          ) : crew ? (
            <span className="inline-flex items-center gap-1">
              <Bot size={14} aria-hidden className="text-muted" />
              The crew: {crew}
            </span>
          ) : (
            <span className="text-muted">Nobody yet</span>
          )}
        </Meta>
        <Meta label="Type">
          <Badge>{typeLabel(task.type)}</Badge>
        </Meta>
        <Meta label="Complexity">
          <Badge>{complexityLabel(task.complexity)}</Badge>
        </Meta>
        <Meta label="Usage">
          <span className="tabular-nums">
            {formatTokens(task.usage.totalTokens)} tokens · {formatUsd(task.usage.totalCostUsd)}
          </span>
        </Meta>
        <Meta label="Updated">
          <time dateTime={task.updatedAt} title={task.updatedAt} className="text-muted">
            {formatRelative(task.updatedAt)}
          </time>
        </Meta>
      </dl>
    </header>
  );
}
