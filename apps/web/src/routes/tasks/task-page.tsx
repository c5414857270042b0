// One task: what it asks for and where it stands, what can be done with it, and underneath the crew's
// pipeline and conversation, side by side on wide screens and stacked on narrow ones.
import { skipToken, useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import { TaskCodeSections } from "../../components/code/task-code-sections";
import { Panel } from "../../components/projects/panel";
import { isRunActive } from "../../components/runs/run-metrics";
import { RunPanel } from "../../components/runs/run-panel";
import { canWriteTask, startBlocker } from "../../components/tasks/task-actions";
import { TaskActionsBar } from "../../components/tasks/task-actions-bar";
import { TaskConversation } from "../../components/tasks/task-conversation";
import { TaskDetails } from "../../components/tasks/task-details";
import { TaskHeader } from "../../components/tasks/task-header";
import type { Task } from "../../components/tasks/task-options";
import { useProjects } from "../../components/tasks/use-task-lookups";
import { Loading } from "../../components/ui/states";
import { Unavailable } from "../../components/ui/unavailable";
import { TaskUsageSection } from "../../components/usage/task-usage-section";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";

function TaskView({ task }: { task: Task }) {
  const trpc = useTRPC();
  const { byId, isPending: projectsLoading } = useProjects();
  const project = task.projectId ? byId.get(task.projectId) : undefined;
  // The same queries the run panel and the crew list use, so these share their cache and live refreshes.
  const orchestration = useQuery(trpc.runs.orchestration.queryOptions({ taskId: task.id }));
  const crew = useQuery(
    trpc.agents.list.queryOptions(task.projectId ? { projectId: task.projectId } : skipToken),
  );
  const emergency = useQuery(trpc.emergency.status.queryOptions({}));
  const runActive = isRunActive(orchestration.data?.run?.status);
  const canWrite = canWriteTask(task.projectId, project?.role);
  const blocker = startBlocker({
    projectId: task.projectId,
    status: task.status,
    runActive: orchestration.data ? runActive : undefined,
    crew: crew.data?.items,
    stops: emergency.data?.active ? emergency.data.stops : [],
  });

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6 p-4 sm:p-6">
      <TaskHeader
        task={task}
        project={project}
        projectLoading={projectsLoading}
        crewAtWork={orchestration.data?.steps ?? []}
      />
      {canWrite ? (
        <TaskActionsBar
          task={task}
          runActive={runActive}
          startBlocker={blocker}
          crew={crew.data?.items}
          crewError={!!crew.error}
        />
      ) : (
        <p className="rounded-md bg-subtle px-3 py-2 text-sm text-muted">
          You are a viewer in this project: you can follow the task, and its maintainers change it.
        </p>
      )}
      <TaskDetails task={task} />
      <div className="grid items-start gap-6 xl:grid-cols-2">
        <Panel title="Pipeline" description="The crew's steps for the latest run, live.">
          <RunPanel taskId={task.id} />
        </Panel>
        <Panel title="Conversation" description="Everything the crew and people said about this task.">
          <TaskConversation taskId={task.id} conversationId={task.conversationId} />
        </Panel>
      </div>
      <TaskCodeSections task={task} canWrite={canWrite} crew={crew.data?.items} />
      <TaskUsageSection taskId={task.id} />
    </div>
  );
}

export default function TaskPage() {
  const { taskId = "" } = useParams();
  const trpc = useTRPC();
  const task = useQuery(trpc.tasks.get.queryOptions({ taskId }));
  usePageTitle(task.data?.title ?? "Task");

  if (task.isPending) return <Loading label="Loading the task…" />;
  if (!task.data) {
    return (
      <div className="mx-auto max-w-7xl p-4 sm:p-6">
        <Unavailable
          error={task.error}
          onRetry={() => void task.refetch()}
          thing="task"
          hint="It may have been deleted, or it belongs to a project you are not a member of."
          back={{ to: "/tasks", label: "Back to tasks" }}
        />
      </div>
    );
  }
  return <TaskView task={task.data} />;
}
