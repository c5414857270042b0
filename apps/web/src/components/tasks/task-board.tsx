// Tasks as columns by status. Side by side and scrolling sideways on wide windows; stacked on narrow ones.
import { groupTasksByStatus } from "./group-by-status";
import { TaskCard } from "./task-card";
import { statusLabel, type TaskListItem, type TaskStatus } from "./task-options";
import type { AgentSummary, ProjectSummary } from "./use-task-lookups";

export type TaskLookups = {
  projects: Map<string, ProjectSummary>;
  agents: Map<string, AgentSummary>;
  projectsLoading: boolean;
};

export function TaskBoard({
  tasks,
  onlyStatus,
  lookups,
}: {
  tasks: readonly TaskListItem[];
  onlyStatus: TaskStatus | null;
  lookups: TaskLookups;
}) {
  return (
    <div className="flex flex-col gap-4 pb-2 md:flex-row md:items-start md:overflow-x-auto">
      {groupTasksByStatus(tasks, onlyStatus).map(({ status, tasks: column }) => (
        <section
          key={status}
          aria-labelledby={`column-${status}`}
          className="flex flex-col gap-2 rounded-lg bg-subtle p-2 md:w-72 md:shrink-0"
        >
          <h2
            id={`column-${status}`}
            className="flex items-center justify-between px-1 text-sm font-semibold"
          >
            {statusLabel(status)}
            <span className="text-xs font-normal text-muted">
              {column.length}
              <span className="sr-only"> tasks</span>
            </span>
          </h2>
          {column.length === 0 ? (
            <p className="px-1 py-2 text-xs text-muted">Nothing here.</p>
          ) : (
            <ul className="flex flex-col gap-2">
              {column.map((task) => (
                <li key={task.id}>
                  <TaskCard
                    task={task}
                    project={task.projectId ? lookups.projects.get(task.projectId) : undefined}
                    agent={task.assignedToAgentId ? lookups.agents.get(task.assignedToAgentId) : undefined}
                    projectsLoading={lookups.projectsLoading}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
