// A project's pull requests: state, branch, checks and the linked task; maintainers approve (merge through
// GitHub, refused with the reason in words) or reject with feedback for the agent that wrote it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import {
  approveHint,
  checksBadge,
  PULL_REQUEST_STATES,
  pullRequestStateTone,
} from "../../components/github/github-view";
import { NoRepositoryYet } from "../../components/github/no-repository-yet";
import { RejectPullRequestDialog } from "../../components/github/reject-pull-request-dialog";
import { hasRole } from "../../components/projects/project-roles";
import { ProjectTabPage, StateFilter } from "../../components/projects/project-tab-page";
import { Badge, humanStatus, statusTone } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Pager } from "../../components/ui/pager";
import { Empty, Failed, Loading } from "../../components/ui/states";
import { describeError } from "../../lib/errors";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";
import { useProject } from "./project-layout";

type PullRequest = RouterOutputs["pullRequests"]["list"]["items"][number];
type State = (typeof PULL_REQUEST_STATES)[number];

export default function ProjectPullRequestsPage() {
  const project = useProject();
  usePageTitle(`Pull requests · ${project.name}`);
  const trpc = useTRPC();
  const [state, setState] = useState<State>("open");
  const [page, setPage] = useState(1);
  const pulls = useQuery(
    trpc.pullRequests.list.queryOptions({ projectId: project.id, state, page, limit: 20 }),
  );
  const canWrite = hasRole(project.role, "maintainer");

  return (
    <ProjectTabPage project={project}>
      <div className="flex flex-wrap items-end gap-3">
        <StateFilter
          states={PULL_REQUEST_STATES}
          value={state}
          onChange={(next) => {
            setState(next);
            setPage(1);
          }}
        />
      </div>
      {pulls.isPending ? (
        <Loading label="Loading pull requests…" />
      ) : pulls.error ? (
        <Failed error={pulls.error} onRetry={() => void pulls.refetch()} />
      ) : pulls.data.items.length === 0 ? (
        project.repositories.length === 0 ? (
          <NoRepositoryYet
            projectId={project.id}
            title="No pull requests yet"
            canLink={hasRole(project.role, "owner")}
          />
        ) : (
          <Empty title={`No ${state === "all" ? "" : `${state} `}pull requests`}>
            Pull requests appear when agents open them, or when you sync from the{" "}
            <Link to={`/projects/${project.id}/issues`} className="text-accent underline">
              Issues tab
            </Link>
            .
          </Empty>
        )
      ) : (
        <ul className="flex flex-col gap-2">
          {pulls.data.items.map((pr) => (
            <PullRequestRow key={pr.id} pr={pr} projectId={project.id} canWrite={canWrite} />
          ))}
        </ul>
      )}
      {pulls.data && (
        <Pager page={pulls.data.page} pages={pulls.data.pages} onPage={setPage} label="Pull request pages" />
      )}
    </ProjectTabPage>
  );
}

function PullRequestRow({
  pr,
  projectId,
  canWrite,
}: {
  pr: PullRequest;
  projectId: string;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.pullRequests.list.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
  };
  const approve = useMutation(
    trpc.pullRequests.approve.mutationOptions({ onSuccess: refresh, onError: () => {} }),
  );
  const checks = checksBadge(pr.checksStatus);
  const hint = approveHint(pr);

  return (
    <li className="rounded-lg border border-border bg-surface p-3">
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1">
          <a href={pr.htmlUrl} target="_blank" rel="noreferrer" className="font-medium hover:underline">
            #{pr.number} {pr.title}
          </a>
          <p className="text-xs text-muted">
            <code>{pr.branch.head}</code> → <code>{pr.branch.base}</code> · {pr.repository.fullName}
            {pr.authoringAgent ? ` · by ${pr.authoringAgent.name}` : pr.author ? ` · by ${pr.author}` : ""}
          </p>
          <div className="mt-1 flex flex-wrap items-center gap-1">
            <Badge tone={pullRequestStateTone(pr.state)}>{pr.state}</Badge>
            <Badge tone={checks.tone}>{checks.label}</Badge>
            {pr.mergeable === false && <Badge tone="danger">Conflicts</Badge>}
            {pr.task && (
              <Link
                to={`/tasks/${pr.task.id}`}
                className="inline-flex items-center gap-1 text-xs hover:underline"
              >
                Task: {pr.task.title}
                <Badge tone={statusTone(pr.task.status)}>{humanStatus(pr.task.status)}</Badge>
              </Link>
            )}
          </div>
        </div>
        {canWrite && pr.state === "open" && (
          <div className="flex gap-1">
            <Button
              size="sm"
              variant="primary"
              busy={approve.isPending}
              title={hint ?? undefined}
              onClick={() => approve.mutate({ projectId, pullRequestId: pr.id })}
            >
              Approve<span className="sr-only"> #{pr.number}</span>
            </Button>
            <RejectPullRequestDialog projectId={projectId} pullRequest={pr} onRejected={refresh} />
          </div>
        )}
      </div>
      {approve.error && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {describeError(approve.error)}
        </p>
      )}
      {approve.data && (
        <p role="status" className="mt-2 text-sm text-muted">
          Merged.{" "}
          {approve.data.task &&
            (approve.data.taskCompleted
              ? `Task “${approve.data.task.title}” is completed.`
              : `Task “${approve.data.task.title}” stays ${humanStatus(approve.data.task.status)}.`)}
        </p>
      )}
    </li>
  );
}
