// The GitHub repositories the crew may work in. Owners link them by `owner/name` and unlink them.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { FolderGit2 } from "lucide-react";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { describeError } from "../../lib/errors";
import { formatRelative } from "../../lib/format";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { githubReason, reasonText } from "../github/github-labels";
import { RepositoryPicker, repositoryInput } from "../github/repository-picker";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ConfirmButton } from "../ui/dialog";
import { TextField } from "../ui/field";
import { Panel } from "./panel";
import { parseRepositoryName } from "./repository-name";

type Project = RouterOutputs["projects"]["get"];
type Repository = Project["repositories"][number];

const SYNC_TONE = { pending: "neutral", synced: "ok", error: "danger" } as const;

export function RepositoriesSection({ project, canManage }: { project: Project; canManage: boolean }) {
  return (
    <Panel
      title="Repositories"
      description="The GitHub repositories this project's agents read and open pull requests in."
    >
      {project.repositories.length === 0 ? (
        <p className="text-sm text-muted">No repositories linked yet.</p>
      ) : (
        <ul aria-label="Linked repositories" className="flex flex-col gap-2">
          {project.repositories.map((repository) => (
            <RepositoryRow
              key={repository.id}
              projectId={project.id}
              repository={repository}
              canManage={canManage}
            />
          ))}
        </ul>
      )}
      {canManage ? (
        <>
          <PickRepository project={project} />
          <AddRepositoryForm projectId={project.id} />
        </>
      ) : (
        <p className="mt-3 text-xs text-muted">Only owners link and unlink repositories.</p>
      )}
    </Panel>
  );
}

function RepositoryRow({
  projectId,
  repository,
  canManage,
}: {
  projectId: string;
  repository: Repository;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.projects.repositories.remove.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() }),
    }),
  );
  const reconnect = useMutation(
    trpc.projects.repositories.reconnect.mutationOptions({
      onSuccess: (checked) => toast.success(`${checked.fullName}: GitHub access checked`),
      onError: (error) => {
        const reason = githubReason(error);
        toast.error(reason && reason !== "api_error" ? reasonText(reason) : describeError(error));
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() }),
    }),
  );
  return (
    <li className="flex flex-col items-start gap-2 rounded-md border border-border p-3 sm:flex-row sm:items-center">
      <FolderGit2 size={16} aria-hidden className="hidden shrink-0 text-muted sm:block" />
      <div className="w-full min-w-0 flex-1">
        <p className="break-all text-sm font-medium">
          {repository.htmlUrl ? (
            <a href={repository.htmlUrl} target="_blank" rel="noreferrer" className="hover:underline">
              {repository.fullName}
            </a>
          ) : (
            repository.fullName
          )}
        </p>
        <p className="text-xs text-muted">
          {repository.type} · {repository.language ?? "language unknown"} · {repository.defaultBranch}
          {repository.isPrivate && " · private"}
          {repository.lastSyncAt && ` · checked ${formatRelative(repository.lastSyncAt)}`}
        </p>
        {repository.syncError && <p className="text-xs text-danger">{repository.syncError}</p>}
      </div>
      <Badge tone={SYNC_TONE[repository.syncStatus]}>{repository.syncStatus}</Badge>
      {canManage && (
        <Button
          size="sm"
          busy={reconnect.isPending}
          onClick={() => reconnect.mutate({ projectId, repoId: repository.id })}
        >
          Check access<span className="sr-only"> to {repository.fullName}</span>
        </Button>
      )}
      {canManage && (
        <ConfirmButton
          size="sm"
          variant="secondary"
          title={`Unlink ${repository.fullName}?`}
          description="The agents stop working in this repository. Nothing on GitHub is changed, and you can link it again later."
          confirmLabel="Remove repository"
          onConfirm={async () => {
            await remove.mutateAsync({ projectId, repoId: repository.id });
            toast.success(`${repository.fullName} unlinked`);
          }}
        >
          Remove<span className="sr-only"> {repository.fullName}</span>
        </ConfirmButton>
      )}
    </li>
  );
}

function AddRepositoryForm({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const add = useMutation(
    trpc.projects.repositories.add.mutationOptions({
      onError: (error) => setProblem(describeError(error)),
      onSuccess: (repository) => {
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        setText("");
        toast.success(`${repository.fullName} linked`);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseRepositoryName(text);
    if (!parsed.ok) {
      setProblem(parsed.message);
      return;
    }
    setProblem(null);
    add.mutate({ projectId, name: parsed.name, full_name: parsed.fullName });
  };
  return (
    <form onSubmit={submit} noValidate className="mt-4 flex flex-col gap-2 sm:flex-row sm:items-start">
      <TextField
        label="Repository"
        className="flex-1"
        placeholder="owner/name"
        value={text}
        onChange={(event) => setText(event.target.value)}
        error={problem}
        hint="Its full name on GitHub, or its address."
        autoComplete="off"
        spellCheck={false}
      />
      <Button type="submit" variant="primary" busy={add.isPending} className="sm:mt-6">
        Add repository
      </Button>
    </form>
  );
}

/** Links one of the owner's synced repositories: GitHub's details come with it. */
function PickRepository({ project }: { project: Project }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const add = useMutation(
    trpc.projects.repositories.add.mutationOptions({
      onError: (error) => toast.error(describeError(error)),
      onSuccess: (repository) => {
        void queryClient.invalidateQueries({ queryKey: trpc.projects.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.github.pathKey() });
        toast.success(`${repository.fullName} linked`);
      },
    }),
  );
  return (
    <div className="mt-4">
      <RepositoryPicker
        label="Add from your GitHub repositories"
        busy={add.isPending}
        exclude={project.repositories.map((r) => r.fullName)}
        onPick={(repo) => add.mutate({ projectId: project.id, ...repositoryInput(repo) })}
      />
    </div>
  );
}
