// Tasks as rows, for scanning many at once; the table scrolls sideways on narrow windows.
import { Link } from "react-router";
import { formatRelative, formatTokens, formatUsd } from "../../lib/format";
import type { TaskLookups } from "./task-board";
import { PriorityBadge, ProjectTag, TaskStatusBadge } from "./task-meta";
import type { TaskListItem } from "./task-options";

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-muted whitespace-nowrap";
const td = "px-3 py-2 align-middle";

export function TaskTable({ tasks, lookups }: { tasks: readonly TaskListItem[]; lookups: TaskLookups }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-border bg-surface">
      <table className="w-full min-w-[48rem] border-collapse text-sm">
        <thead className="border-b border-border bg-subtle">
          <tr>
            <th scope="col" className={th}>
              Title
            </th>
            <th scope="col" className={th}>
              Project
            </th>
            <th scope="col" className={th}>
              Status
            </th>
            <th scope="col" className={th}>
              Priority
            </th>
            <th scope="col" className={th}>
              Assignee
            </th>
            <th scope="col" className={`${th} text-right`}>
              Tokens
            </th>
            <th scope="col" className={`${th} text-right`}>
              Cost
            </th>
            <th scope="col" className={th}>
              Updated
            </th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id} className="border-b border-border last:border-b-0 hover:bg-subtle/60">
              <td className={`${td} max-w-80`}>
                <Link to={`/tasks/${task.id}`} className="font-medium hover:text-accent hover:underline">
                  {task.title}
                </Link>
              </td>
              <td className={td}>
                <ProjectTag
                  project={task.projectId ? lookups.projects.get(task.projectId) : null}
                  loading={!!task.projectId && lookups.projectsLoading}
                />
              </td>
              <td className={td}>
                <TaskStatusBadge status={task.status} />
              </td>
              <td className={td}>
                <PriorityBadge priority={task.priority} />
              </td>
              <td className={`${td} text-muted`}>
                {task.assignedToAgentId
                  ? (lookups.agents.get(task.assignedToAgentId)?.name ?? "An agent")
                  : "—"}
              </td>
              <td className={`${td} text-right tabular-nums text-muted`}>
                {formatTokens(task.usage.totalTokens)}
              </td>
              <td className={`${td} text-right tabular-nums text-muted`}>
                {formatUsd(task.usage.totalCostUsd)}
              </td>
              <td className={`${td} whitespace-nowrap text-muted`} title={task.updatedAt}>
                {formatRelative(task.updatedAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
