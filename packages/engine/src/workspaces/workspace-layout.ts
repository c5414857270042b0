// Where a task's workspace lives on disk. Working trees (what agents see and change) and git directories
// (config, hooks, objects: what the server's git obeys) sit side by side, never one inside the other.
import path from "node:path";

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export type WorkspaceLayout = {
  /** Everything of the task; removed as a whole. */
  taskDir: string;
  /** The tools' workspace root: one working tree per repository. */
  treesDir: string;
  /** Touched whenever the workspace is opened; the sweep reads its time. */
  lastUsedFile: string;
  treeOf(repository: string): string;
  gitDirOf(repository: string): string;
};

export function workspaceLayout(rootDir: string, taskId: string): WorkspaceLayout {
  assertSafeName(taskId, "task id");
  const taskDir = path.join(path.resolve(rootDir), taskId);
  const treesDir = path.join(taskDir, "trees");
  return {
    taskDir,
    treesDir,
    lastUsedFile: path.join(taskDir, "last-used"),
    treeOf: (repository) => path.join(treesDir, assertSafeName(repository, "repository name")),
    gitDirOf: (repository) => path.join(taskDir, "git", assertSafeName(repository, "repository name")),
  };
}

/** Ids and names become directory names: nothing that could climb out (`..`, `/`) or hide (`.x`). */
export function assertSafeName(name: string, what: string): string {
  if (!SAFE_NAME.test(name) || name.includes(".."))
    throw new Error(`Invalid ${what} for a workspace: "${name}"`);
  return name;
}
