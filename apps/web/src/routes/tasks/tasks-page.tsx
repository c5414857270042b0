// Every task the person can see, as a board by status or a table, filtered by project, status, priority
// and text. Filters live in the address, so /tasks?projectId=… is a project's board.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Tabs } from "radix-ui";
import { useCallback } from "react";
import { useSearchParams } from "react-router";
import { lastProject } from "../../components/projects/last-project";
import { NoProjectYet } from "../../components/projects/no-project-yet";
import { NewTaskDialog } from "../../components/tasks/new-task-dialog";
import { TaskBoard, type TaskLookups } from "../../components/tasks/task-board";
import { TaskFilterBar } from "../../components/tasks/task-filter-bar";
import {
  hasFilters,
  readTaskFilters,
  type TaskFilterKey,
  toTaskListInput,
  withFilter,
  withPage,
} from "../../components/tasks/task-filters";
import { TaskTable } from "../../components/tasks/task-table";
import { useAgentsById, useProjects } from "../../components/tasks/use-task-lookups";
import { Button } from "../../components/ui/button";
import { Empty, Failed, Loading } from "../../components/ui/states";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";

type View = "board" | "list";

const tabClass =
  "rounded-md px-3 py-1 text-sm font-medium text-muted data-[state=active]:bg-surface data-[state=active]:text-text data-[state=active]:shadow-xs";

export default function TasksPage() {
  usePageTitle("Tasks");
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const filters = readTaskFilters(params);
  const view: View = params.get("view") === "list" ? "list" : "board";

  const tasks = useQuery({
    ...trpc.tasks.list.queryOptions(toTaskListInput(filters)),
    // Changing a filter keeps the old cards on screen until the new ones arrive, instead of a spinner.
    placeholderData: keepPreviousData,
  });
  const { projects, byId, isPending: projectsLoading } = useProjects();
  const items = tasks.data?.items ?? [];
  const agents = useAgentsById(
    items.flatMap((task) => (task.projectId && task.assignedToAgentId ? [task.projectId] : [])),
  );
  const lookups: TaskLookups = { projects: byId, agents, projectsLoading };

  const setFilter = useCallback(
    (key: TaskFilterKey, value: string | null) =>
      setParams((current) => withFilter(current, key, value), { replace: true }),
    [setParams],
  );
  const clearFilters = () =>
    setParams((current) => {
      const next = new URLSearchParams();
      const kept = current.get("view");
      if (kept) next.set("view", kept);
      return next;
    });
  const setView = (next: string) =>
    setParams(
      (current) => {
        const copy = new URLSearchParams(current);
        if (next === "list") copy.set("view", "list");
        else copy.delete("view");
        return copy;
      },
      { replace: true },
    );
  const goToPage = (page: number) => setParams((current) => withPage(current, page));

  const projectName =
    filters.projectId === "unassigned"
      ? "Tasks outside projects"
      : filters.projectId
        ? byId.get(filters.projectId)?.name
        : undefined;

  return (
    <div className="mx-auto flex max-w-[100rem] flex-col gap-4 p-4 md:p-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Tasks</h1>
          {projectName && <p className="text-sm text-muted">{projectName}</p>}
        </div>
        <NewTaskDialog
          projects={projects}
          // The project on screen, else the one the person came from: "No project" can never start.
          defaultProjectId={filters.projectId ?? lastProject()}
        />
      </div>

      <TaskFilterBar filters={filters} onChange={setFilter} onClear={clearFilters} />

      <Tabs.Root value={view} onValueChange={setView} className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Tabs.List aria-label="View" className="inline-flex rounded-lg bg-subtle p-1">
            <Tabs.Trigger value="board" className={tabClass}>
              Board
            </Tabs.Trigger>
            <Tabs.Trigger value="list" className={tabClass}>
              List
            </Tabs.Trigger>
          </Tabs.List>
          {tasks.data && (
            <p className="text-sm text-muted" aria-live="polite">
              {tasks.data.total === 1 ? "1 task" : `${tasks.data.total} tasks`}
              {tasks.isFetching && !tasks.isPending && " · updating…"}
            </p>
          )}
        </div>

        {tasks.isPending ? (
          <Loading label="Loading tasks…" />
        ) : tasks.error && !tasks.data ? (
          <Failed error={tasks.error} onRetry={() => void tasks.refetch()} />
        ) : items.length === 0 && !hasFilters(filters) && !projectsLoading && projects.length === 0 ? (
          <NoProjectYet title="No tasks yet">
            Tasks are done by a project's crew of agents: create a project first, then give its crew a task.
          </NoProjectYet>
        ) : items.length === 0 ? (
          <Empty title={hasFilters(filters) ? "No tasks match these filters" : "No tasks yet"}>
            {hasFilters(filters) ? (
              <Button size="sm" onClick={clearFilters}>
                Clear filters
              </Button>
            ) : (
              "Create a task and your crew will plan, build and test it."
            )}
          </Empty>
        ) : (
          <>
            <Tabs.Content value="board" tabIndex={-1}>
              <TaskBoard tasks={items} onlyStatus={filters.status} lookups={lookups} />
            </Tabs.Content>
            <Tabs.Content value="list" tabIndex={-1}>
              <TaskTable tasks={items} lookups={lookups} />
            </Tabs.Content>
          </>
        )}

        {tasks.data && tasks.data.pages > 1 && (
          <nav aria-label="Pages" className="flex items-center justify-center gap-3 text-sm">
            <Button size="sm" disabled={filters.page <= 1} onClick={() => goToPage(filters.page - 1)}>
              Previous page
            </Button>
            <span className="text-muted">
              Page {tasks.data.page} of {tasks.data.pages}
            </span>
            <Button
              size="sm"
              disabled={filters.page >= tasks.data.pages}
              onClick={() => goToPage(filters.page + 1)}
            >
              Next page
            </Button>
          </nav>
        )}
      </Tabs.Root>
    </div>
  );
}
