// What a branch changes against its base, as GitHub's compare API reports it (the three-dot diff a pull
// request shows): per file its status, line counts and unified-diff hunks.
import type { GitHubDeps } from "./deps";
import { asRepository, type ProjectRepository } from "./repository-client";

export type ChangedFileStatus =
  | "added"
  | "removed"
  | "modified"
  | "renamed"
  | "copied"
  | "changed"
  | "unchanged";

export type ChangedFile = {
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
  status: ChangedFileStatus;
  additions: number;
  deletions: number;
  /** The file's hunks (from the first `@@`); absent for binary files and diffs GitHub finds too large. */
  patch?: string;
};

export type BranchComparison = {
  base: string;
  head: string;
  aheadBy: number;
  behindBy: number;
  totalCommits: number;
  files: ChangedFile[];
  /** GitHub lists at most 300 files in a comparison; more changed than are listed. */
  truncated: boolean;
};

/** GitHub's documented ceiling on the files of one comparison. */
export const COMPARE_FILE_LIMIT = 300;

const STATUSES = new Set<ChangedFileStatus>([
  "added",
  "removed",
  "modified",
  "renamed",
  "copied",
  "changed",
  "unchanged",
]);

type CompareFile = {
  filename: string;
  previous_filename?: string;
  status: string;
  additions: number;
  deletions: number;
  patch?: string;
};

export const toChangedFile = (file: CompareFile): ChangedFile => ({
  path: file.filename,
  ...(file.previous_filename ? { oldPath: file.previous_filename } : {}),
  status: STATUSES.has(file.status as ChangedFileStatus) ? (file.status as ChangedFileStatus) : "changed",
  additions: file.additions,
  deletions: file.deletions,
  ...(file.patch !== undefined ? { patch: file.patch } : {}),
});

/**
 * `head` against `base` in `repository` (`base...head`, from their merge base), through the app's installation
 * or `userId`'s token. Failures are `GitHubError`s (502 GITHUB_API_ERROR when GitHub answers with an error).
 */
export async function compareBranches(
  deps: GitHubDeps,
  input: { repository: ProjectRepository; userId: string | null; base: string; head: string },
): Promise<BranchComparison> {
  return asRepository(deps, input.repository, input.userId, async ({ octokit, owner, repo }) => {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner,
      repo,
      basehead: `${input.base}...${input.head}`,
    });
    const files = (data.files ?? []).map(toChangedFile);
    return {
      base: input.base,
      head: input.head,
      aheadBy: data.ahead_by,
      behindBy: data.behind_by,
      totalCommits: data.total_commits,
      files,
      truncated: files.length >= COMPARE_FILE_LIMIT,
    };
  });
}
