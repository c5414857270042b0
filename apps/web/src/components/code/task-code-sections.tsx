// The task page's code sections: its pull request, the agents' live activity, the branch's changes and the
// history of its runs.
import { Panel } from "../projects/panel";
import type { Task } from "../tasks/task-options";
import { ActivityFeed } from "./activity-feed";
import { RunHistory } from "./run-history";
import { TaskChanges } from "./task-changes";
import { TaskPullRequest } from "./task-pull-request";

export function TaskCodeSections({
  task,
  canWrite,
  crew,
}: {
  task: Task;
  canWrite: boolean;
  crew: { id: string; name: string }[] | undefined;
}) {
  const agentNames = new Map((crew ?? []).map((a) => [a.id, a.name]));
  return (
    <>
      <div className="grid items-start gap-6 xl:grid-cols-2">
        <Panel title="Pull request" description="What the crew proposes, and your verdict on it.">
          <TaskPullRequest task={task} canWrite={canWrite} />
        </Panel>
        <Panel title="Activity" description="The agents' tool calls as they read, edit and run, live.">
          <ActivityFeed taskId={task.id} agentNames={agentNames} />
        </Panel>
      </div>
      <Panel title="Changes" description="The task branch against its base, as the pull request shows it.">
        <TaskChanges taskId={task.id} />
      </Panel>
      <Panel title="Runs" description="Every run of this task, newest first.">
        <RunHistory taskId={task.id} />
      </Panel>
    </>
  );
}
