// The small labels a task carries everywhere it appears: status, priority and project.
import { Badge, statusTone } from "../ui/badge";
import { priorityLabel, priorityTone, statusLabel, type TaskPriority, type TaskStatus } from "./task-options";

export function TaskStatusBadge({ status }: { status: TaskStatus }) {
  return <Badge tone={statusTone(status)}>{statusLabel(status)}</Badge>;
}

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  return (
    <Badge tone={priorityTone(priority)}>
      <span className="sr-only">Priority </span>
      {priorityLabel(priority)}
    </Badge>
  );
}

export type ProjectLabel = { name: string; color: string | null };

/** The project's colour dot and name; "No project" for a person's own unassigned task. */
export function ProjectTag({
  project,
  loading = false,
}: {
  project: ProjectLabel | null | undefined;
  loading?: boolean;
}) {
  if (!project) {
    return <span className="text-xs text-muted">{loading ? "…" : "No project"}</span>;
  }
  return (
    <span className="inline-flex min-w-0 items-center gap-1.5 text-xs text-muted">
      <span
        aria-hidden
        className="h-2 w-2 shrink-0 rounded-full"
        style={{ background: project.color ?? "var(--color-muted)" }}
      />
      <span className="truncate">{project.name}</span>
    </span>
  );
}
