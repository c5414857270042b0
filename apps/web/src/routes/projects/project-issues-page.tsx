// A project's GitHub issues: filter by state and label, sync from GitHub, and have the architect file tasks
// for an issue ("Start"), then follow them from here.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { describeSync, ISSUE_STATES } from "../../components/github/github-view";
import { NoRepositoryYet } from "../../components/github/no-repository-yet";
import { hasRole } from "../../components/projects/project-roles";
import { ProjectTabPage, StateFilter } from "../../components/projects/project-tab-page";
import { Badge, humanStatus, statusTone } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/field";
import { Pager } from "../../components/ui/pager";
import { Empty, Failed, Loading } from "../../components/ui/states";
import { describeError } from "../../lib/errors";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";
import { useProject } from "./project-layout";

type Issue = RouterOutputs["issues"]["list"]["items"][number];
type IssueState = (typeof ISSUE_STATES)[number];

export default function ProjectIssuesPage() {
  const project = useProject();
  usePageTitle(`Issues · ${project.name}`);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = hasRole(project.role, "maintainer");
  const [state, setState] = useState<IssueState>("open");
  const [label, setLabel] = useState("");
  const [page, setPage] = useState(1);
  const input = {
    projectId: project.id,
    state,
    page,
    limit: 20,
    ...(label.trim() && { label: label.trim() }),
  };
  const issues = useQuery(trpc.issues.list.queryOptions(input));
  const sync = useMutation(
    trpc.issues.sync.mutationOptions({
      onError: () => {}, // shown beside the button, once
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.issues.list.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.pullRequests.list.pathKey() });
        void queryClient.invalidateQueries({
          queryKey: trpc.projects.get.queryKey({ projectId: project.id }),
        });
      },
    }),
  );
  const hasRepositories = project.repositories.length > 0;

  return (
    <ProjectTabPage project={project}>
      <div className="flex flex-wrap items-end gap-3">
        <StateFilter
          states={ISSUE_STATES}
          value={state}
          onChange={(next) => {
            setState(next);
            setPage(1);
          }}
        />
        <TextField
          label="Label"
          value={label}
          placeholder="bug"
          onChange={(e) => {
            setLabel(e.target.value);
            setPage(1);
          }}
        />
        {canWrite && hasRepositories && (
          <Button
            className="ml-auto"
            busy={sync.isPending}
            onClick={() => sync.mutate({ projectId: project.id })}
          >
            Sync from GitHub
          </Button>
        )}
      </div>
      {sync.data && <p className="text-sm text-muted">{describeSync(sync.data)}</p>}
      {sync.error && (
        <p role="alert" className="rounded-md bg-danger-bg px-3 py-2 text-sm text-danger">
          {describeError(sync.error)}
        </p>
      )}
      {issues.isPending ? (
        <Loading label="Loading issues…" />
      ) : issues.error ? (
        <Failed error={issues.error} onRetry={() => void issues.refetch()} />
      ) : issues.data.items.length === 0 ? (
        hasRepositories ? (
          <Empty title={state === "open" && !label ? "No open issues" : "No issues match"}>
            Sync to pull the latest issues from GitHub.
          </Empty>
        ) : (
          <NoRepositoryYet
            projectId={project.id}
            title="No issues yet"
            canLink={hasRole(project.role, "owner")}
          />
        )
      ) : (
        <ul className="flex flex-col gap-2">
          {issues.data.items.map((issue) => (
            <IssueRow key={issue.id} issue={issue} projectId={project.id} canWrite={canWrite} />
          ))}
        </ul>
      )}
      {issues.data && (
        <Pager page={issues.data.page} pages={issues.data.pages} onPage={setPage} label="Issue pages" />
      )}
    </ProjectTabPage>
  );
}

function IssueRow({ issue, projectId, canWrite }: { issue: Issue; projectId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [showTasks, setShowTasks] = useState(issue.taskCount > 0);
  const start = useMutation(
    trpc.issues.start.mutationOptions({
      onError: () => {}, // shown beside the button, once
      onSuccess: () => setShowTasks(true),
    }),
  );
  const tasks = useQuery({
    ...trpc.issues.tasks.queryOptions({ projectId, issueId: issue.id, limit: 50 }),
    enabled: showTasks,
    // While the architect is still answering, look again until its tasks appear.
    refetchInterval: (query) => (start.isSuccess && (query.state.data?.total ?? 0) === 0 ? 2000 : false),
  });
  const filed = tasks.data?.items ?? [];
  const arrived = start.isSuccess && filed.length > 0;
  // The tasks arrived: the list's task counts (and the project's figures) are stale now.
  useEffect(() => {
    if (arrived) void queryClient.invalidateQueries({ queryKey: trpc.issues.list.pathKey() });
  }, [arrived, queryClient, trpc]);

  return (
    <li className="rounded-lg border border-border bg-surface p-3">
      <div className="flex flex-wrap items-start gap-2">
        <div className="min-w-0 flex-1">
          <a href={issue.htmlUrl} target="_blank" rel="noreferrer" className="font-medium hover:underline">
            #{issue.number} {issue.title}
          </a>
          <p className="text-xs text-muted">
            {issue.repository.fullName}
            {issue.author && ` · opened by ${issue.author}`}
          </p>
          <div className="mt-1 flex flex-wrap gap-1">
            <Badge tone={issue.state === "open" ? "ok" : "neutral"}>{issue.state}</Badge>
            {issue.labels.map((l) => (
              <Badge key={l}>{l}</Badge>
            ))}
          </div>
        </div>
        {issue.taskCount > 0 && (
          <Button size="sm" variant="ghost" onClick={() => setShowTasks((v) => !v)}>
            {issue.taskCount} task{issue.taskCount === 1 ? "" : "s"}
          </Button>
        )}
        {canWrite && issue.state === "open" && (
          <Button
            size="sm"
            variant="primary"
            busy={start.isPending}
            disabled={start.isSuccess}
            onClick={() => start.mutate({ projectId, issueId: issue.id })}
          >
            Start<span className="sr-only"> #{issue.number}</span>
          </Button>
        )}
      </div>
      {start.error && (
        <p role="alert" className="mt-2 text-sm text-danger">
          {describeError(start.error)}
        </p>
      )}
      {start.isSuccess && filed.length === 0 && (
        <p role="status" className="mt-2 text-sm text-muted">
          {start.data.architect.name} is reading the issue and filing tasks…{" "}
          <Link to={`/chats/${start.data.conversationId}`} className="underline">
            Follow the conversation
          </Link>
        </p>
      )}
      {showTasks && filed.length > 0 && (
        <ul className="mt-2 flex flex-col gap-1 border-t border-border pt-2 text-sm">
          {filed.map((task) => (
            <li key={task.id} className="flex items-center gap-2">
              <Badge tone={statusTone(task.status)}>{humanStatus(task.status)}</Badge>
              <Link to={`/tasks/${task.id}`} className="hover:underline">
                {task.title}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
