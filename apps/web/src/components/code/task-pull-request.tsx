// The task's pull request: state, checks, link, and for maintainers Approve (merge through GitHub, refused
// with the reason in words) and Reject with feedback for the agent, the same actions as the project's tab.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { describeError } from "../../lib/errors";
import { useTRPC } from "../../lib/trpc";
import { approveHint, checksBadge, pullRequestStateTone } from "../github/github-view";
import { RejectPullRequestDialog } from "../github/reject-pull-request-dialog";
import type { Task } from "../tasks/task-options";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";

export function TaskPullRequest({ task, canWrite }: { task: Task; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pr = task.pullRequest;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.runs.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.pullRequests.pathKey() });
  };
  const approve = useMutation(
    trpc.pullRequests.approve.mutationOptions({ onSuccess: refresh, onError: () => {} }),
  );
  if (!pr) {
    return (
      <p className="text-sm text-muted">
        No pull request yet: a run that changes code opens one when it ends.
      </p>
    );
  }
  const checks = checksBadge(pr.checksStatus);
  const hint = approveHint(pr);
  return (
    <div className="flex flex-col gap-2" data-testid="task-pull-request">
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1">
          <a href={pr.htmlUrl} target="_blank" rel="noreferrer" className="font-medium hover:underline">
            #{pr.number} {pr.title}
          </a>
          <p className="text-xs text-muted">
            <code>{pr.headBranch}</code> → <code>{pr.baseBranch}</code>
          </p>
          <div className="mt-1 flex flex-wrap items-center gap-1">
            <Badge tone={pullRequestStateTone(pr.state)}>{pr.state}</Badge>
            <Badge tone={checks.tone}>{checks.label}</Badge>
            {pr.mergeable === false && <Badge tone="danger">Conflicts</Badge>}
          </div>
        </div>
        {canWrite && task.projectId && pr.state === "open" && (
          <div className="flex gap-1">
            <Button
              size="sm"
              variant="primary"
              busy={approve.isPending}
              title={hint ?? undefined}
              onClick={() => approve.mutate({ projectId: task.projectId!, pullRequestId: pr.id })}
            >
              Approve<span className="sr-only"> #{pr.number}</span>
            </Button>
            <RejectPullRequestDialog projectId={task.projectId} pullRequest={pr} onRejected={refresh} />
          </div>
        )}
      </div>
      {canWrite && pr.state === "open" && hint && <p className="text-xs text-muted">{hint}</p>}
      {approve.error && (
        <p role="alert" className="text-sm text-danger">
          {describeError(approve.error)}
        </p>
      )}
      {approve.data && (
        <p role="status" className="text-sm text-muted">
          Merged{approve.data.taskCompleted ? "; the task is completed." : "."}
        </p>
      )}
    </div>
  );
}
