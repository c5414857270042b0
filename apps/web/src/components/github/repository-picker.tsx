// Picking one of your synced GitHub repositories by searching its name: for the new-project form and a
// project's repositories. Says what to do when GitHub is not connected or nothing is synced yet.
import { useQuery } from "@tanstack/react-query";
import { Lock } from "lucide-react";
import { useId, useState } from "react";
import { Link } from "react-router";
import { type RouterOutputs, useTRPC } from "../../lib/trpc";
import { useSettled } from "../../lib/use-settled";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { Failed, Loading } from "../ui/states";
import { githubReason, reasonText } from "./github-labels";

export type SyncedRepository = RouterOutputs["github"]["repositories"]["list"]["items"][number];

/** What `POST /projects` and `POST /projects/{id}/repositories` take for a synced repository. */
export const repositoryInput = (repo: SyncedRepository) => ({
  id: repo.githubId,
  name: repo.name,
  full_name: repo.fullName,
  html_url: repo.htmlUrl,
  default_branch: repo.defaultBranch,
  language: repo.language,
  private: repo.isPrivate,
});

export function RepositoryPicker({
  onPick,
  exclude = [],
  label = "GitHub repository",
  busy = false,
}: {
  onPick: (repository: SyncedRepository) => void;
  /** Full names already chosen or linked: shown, but not offered again. */
  exclude?: string[];
  label?: string;
  busy?: boolean;
}) {
  const trpc = useTRPC();
  const id = useId();
  const [search, setSearch] = useState("");
  const query = useSettled(search.trim(), 250);
  const status = useQuery(trpc.github.status.queryOptions());
  const connected = status.data?.connected === true;
  const repositories = useQuery({
    ...trpc.github.repositories.list.queryOptions({ limit: 8, ...(query && { search: query }) }),
    enabled: connected,
  });

  if (status.isPending) return <Loading label="Checking your GitHub connection…" />;
  if (status.error) {
    const reason = githubReason(status.error);
    return reason ? (
      <p className="text-sm text-muted">{reasonText(reason)}</p>
    ) : (
      <Failed error={status.error} />
    );
  }
  if (!connected) {
    return (
      <p className="rounded-md border border-dashed border-border p-3 text-sm text-muted">
        Connect GitHub in{" "}
        <Link to="/settings?tab=github" className="text-accent hover:underline">
          Settings → GitHub
        </Link>{" "}
        to pick from your repositories, or type one by its full name.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        type="search"
        className={inputClass}
        placeholder="Search your synced repositories"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
      {repositories.isPending ? (
        <Loading label="Loading your repositories…" />
      ) : repositories.error ? (
        <Failed error={repositories.error} onRetry={() => repositories.refetch()} />
      ) : repositories.data.items.length === 0 ? (
        <p className="text-sm text-muted">
          {query
            ? `None of your synced repositories matches “${query}”.`
            : "No repositories synced yet: use Sync repositories in Settings → GitHub."}
        </p>
      ) : (
        <ul aria-label="Your GitHub repositories" className="flex max-h-60 flex-col gap-1 overflow-y-auto">
          {repositories.data.items.map((repo) => {
            const taken = exclude.includes(repo.fullName);
            return (
              <li key={repo.id} className="flex items-center gap-2 rounded-md border border-border px-3 py-2">
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium">{repo.fullName}</p>
                  {repo.description && <p className="truncate text-xs text-muted">{repo.description}</p>}
                </div>
                {repo.isPrivate && (
                  <Badge tone="warn">
                    <Lock size={12} aria-hidden /> private
                  </Badge>
                )}
                {repo.language && <Badge>{repo.language}</Badge>}
                <Button size="sm" disabled={taken || busy} onClick={() => onPick(repo)}>
                  {taken ? "Added" : "Add"}
                  <span className="sr-only"> {repo.fullName}</span>
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
