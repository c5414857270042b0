// The Changes section of a task: what its branch changes against its base, per repository and file, as
// GitHub compares them (the pull request's diff); each file folds, with its counts and a highlighted diff.
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { useTRPC } from "../../lib/trpc";
import { Badge } from "../ui/badge";
import { Empty, Failed, Loading } from "../ui/states";
import {
  type ChangedFile,
  changeSummary,
  fileStatus,
  fileTitle,
  noPatchReason,
  openByDefault,
} from "./code-view";

const FileDiff = lazy(() => import("./file-diff"));

export function TaskChanges({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.tasks.diff.queryOptions({ taskId }, { staleTime: 30_000, retry: false }));
  if (diff.isPending) return <Loading label="Reading the changes from GitHub…" />;
  if (diff.error) return <Failed error={diff.error} onRetry={() => void diff.refetch()} />;
  if (diff.data.repositories.length === 0) {
    return (
      <Empty title="No changes yet">
        The branch's changes appear here once a run has pushed them and opened a pull request.
      </Empty>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      {diff.data.repositories.map((repo) => (
        <section key={repo.repository.id} aria-label={`Changes in ${repo.repository.fullName}`}>
          <p className="mb-2 text-sm text-muted">
            <span className="font-medium text-text">{repo.repository.fullName}</span> ·{" "}
            <code>{repo.head}</code> → <code>{repo.base}</code> · {changeSummary(repo.totals)}
          </p>
          {repo.files.length === 0 ? (
            <p className="text-sm text-muted">The branch has no changes against {repo.base}.</p>
          ) : (
            <ul className="flex flex-col gap-2">
              {repo.files.map((file, index) => (
                <FileRow key={file.path} file={file} open={openByDefault(repo.files.length, index)} />
              ))}
            </ul>
          )}
          {repo.truncated && (
            <p className="mt-2 text-sm text-muted">
              GitHub lists at most 300 files;{" "}
              <a
                className="underline"
                href={`${repo.pullRequest.htmlUrl}/files`}
                target="_blank"
                rel="noreferrer"
              >
                see the rest on GitHub
              </a>
              .
            </p>
          )}
        </section>
      ))}
    </div>
  );
}

function FileRow({ file, open }: { file: ChangedFile; open: boolean }) {
  const status = fileStatus(file.status);
  return (
    <li>
      <details open={open} className="group rounded-md border border-border">
        <summary className="flex cursor-pointer flex-wrap items-center gap-2 px-3 py-2 text-sm">
          <code className="min-w-0 flex-1 break-all">{fileTitle(file)}</code>
          <Badge tone={status.tone}>{status.label}</Badge>
          <span className="text-ok">
            +{file.additions}
            <span className="sr-only"> additions</span>
          </span>
          <span className="text-danger">
            −{file.deletions}
            <span className="sr-only"> deletions</span>
          </span>
        </summary>
        <div className="border-t border-border">
          {file.patch ? (
            <Suspense fallback={<Loading label="Loading the diff viewer…" />}>
              <FileDiff file={file} />
            </Suspense>
          ) : (
            <p className="px-3 py-2 text-sm text-muted">{noPatchReason(file)}</p>
          )}
        </div>
      </details>
    </li>
  );
}
