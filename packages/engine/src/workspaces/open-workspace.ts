// Opens a task's workspace: clones each repository the first time (a partial clone, so big histories stay
// cheap) onto the task branch, and reuses the clones on every later step and run of the task.
import { mkdir, realpath, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ToolRepository } from "../tools/registry";
import { assertWithinSize } from "./directory-size";
import { type GitRunner, runGitOrThrow } from "./git-runner";
import { taskBranchName } from "./task-branch";
import { type WorkspaceLayout, workspaceLayout } from "./workspace-layout";

export type WorkspaceRepositoryInput = {
  /** The working tree's directory name, e.g. the repository's name. */
  name: string;
  /** An HTTPS (or, in tests, file://) URL without credentials; the token travels separately. */
  cloneUrl: string;
  /** The task's `branch`, or else the repository's default branch. */
  baseBranch: string;
};

export type OpenWorkspaceInput = {
  taskId: string;
  taskTitle: string;
  repositories: WorkspaceRepositoryInput[];
  token?: string | undefined;
  signal?: AbortSignal | undefined;
};

export type OpenedWorkspace = {
  /** Real path of the directory holding the working trees (ToolWorkspace.root). */
  root: string;
  taskBranch: string;
  repositories: ToolRepository[];
};

export type OpenWorkspaceDeps = { rootDir: string; git: GitRunner; now: () => Date; maxBytes: number };

export async function openWorkspace(
  deps: OpenWorkspaceDeps,
  input: OpenWorkspaceInput,
): Promise<OpenedWorkspace> {
  const layout = workspaceLayout(deps.rootDir, input.taskId);
  await mkdir(layout.treesDir, { recursive: true });
  await writeFile(layout.lastUsedFile, "");
  const now = deps.now();
  await utimes(layout.lastUsedFile, now, now);

  const fallbackBranch = taskBranchName(input.taskId, input.taskTitle);
  const repositories: ToolRepository[] = [];
  let taskBranch = fallbackBranch;
  for (const repository of input.repositories) {
    const opened = (await exists(layout.gitDirOf(repository.name)))
      ? await reuse(deps.git, layout, repository)
      : await clone(deps.git, layout, repository, fallbackBranch, input);
    taskBranch = opened.taskBranch;
    repositories.push(opened.repository);
  }
  await assertWithinSize(layout.taskDir, deps.maxBytes, `The workspace of task ${input.taskId}`);
  return { root: await realpath(layout.treesDir), taskBranch, repositories };
}

type Opened = { repository: ToolRepository; taskBranch: string };

async function clone(
  git: GitRunner,
  layout: WorkspaceLayout,
  repository: WorkspaceRepositoryInput,
  taskBranch: string,
  input: OpenWorkspaceInput,
): Promise<Opened> {
  assertNoCredentials(repository.cloneUrl);
  const tree = layout.treeOf(repository.name);
  const gitDir = layout.gitDirOf(repository.name);
  const { token, signal } = input;
  await mkdir(path.dirname(gitDir), { recursive: true });
  await runGitOrThrow(
    git,
    {
      args: [
        "clone",
        "--filter=blob:none",
        "--no-tags",
        "--single-branch",
        "--branch",
        repository.baseBranch,
        "--separate-git-dir",
        gitDir,
        "--",
        repository.cloneUrl,
        tree,
      ],
      cwd: layout.taskDir,
      token,
      signal,
    },
    `Cloning ${repository.name}`,
  );
  const inTree = (args: string[]) => ({
    args: [`--git-dir=${gitDir}`, `--work-tree=${tree}`, ...args],
    cwd: tree,
  });
  // A task branch pushed by an earlier run (whose workspace has since been swept) is picked up again.
  const fetched = await git({
    ...inTree(["fetch", "--no-tags", "origin", `refs/heads/${taskBranch}`]),
    token,
    signal,
  });
  const startPoint = fetched.exitCode === 0 ? ["FETCH_HEAD"] : [];
  await runGitOrThrow(git, inTree(["checkout", "-b", taskBranch, ...startPoint]), "Creating the task branch");
  await runGitOrThrow(
    git,
    inTree(["config", "crewdeck.taskBranch", taskBranch]),
    "Recording the task branch",
  );
  await runGitOrThrow(
    git,
    inTree(["config", "crewdeck.baseBranch", repository.baseBranch]),
    "Recording the base",
  );
  return {
    repository: { path: await realpath(tree), gitDir, baseBranch: repository.baseBranch },
    taskBranch,
  };
}

async function reuse(
  git: GitRunner,
  layout: WorkspaceLayout,
  repository: WorkspaceRepositoryInput,
): Promise<Opened> {
  const tree = layout.treeOf(repository.name);
  const gitDir = layout.gitDirOf(repository.name);
  const read = async (key: string) =>
    (
      await runGitOrThrow(
        git,
        { args: [`--git-dir=${gitDir}`, "config", "--get", key], cwd: layout.taskDir },
        `Reading ${key}`,
      )
    ).stdout.trim();
  // The names recorded at clone time win, so renaming the task does not move its work to a new branch.
  const taskBranch = await read("crewdeck.taskBranch");
  const baseBranch = await read("crewdeck.baseBranch");
  await mkdir(tree, { recursive: true });
  return { repository: { path: await realpath(tree), gitDir, baseBranch }, taskBranch };
}

function assertNoCredentials(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("A repository's clone URL must be a URL (https://…).");
  }
  if (parsed.username || parsed.password) {
    throw new Error("A repository's clone URL must not carry credentials; pass the token separately.");
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
