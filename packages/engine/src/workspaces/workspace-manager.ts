// The one object the run engine holds for workspaces: it binds the root directory, the git runner, the
// clock and the size limit once, so callers pass only what a task needs.
import { rm } from "node:fs/promises";
import { type CommitInput, type CommitResult, commitRepository } from "./commit-workspace";
import { assertWithinSize } from "./directory-size";
import type { GitRunner } from "./git-runner";
import { type OpenedWorkspace, type OpenWorkspaceInput, openWorkspace } from "./open-workspace";
import { pushTaskBranch } from "./push-task-branch";
import { type SweepInput, sweepWorkspaces } from "./sweep-workspaces";
import { workspaceLayout } from "./workspace-layout";

export const DEFAULT_WORKSPACE_MAX_BYTES = 2 * 1024 ** 3;

export type WorkspaceManagerDeps = {
  /** WORKSPACES_DIR: one directory per task below it. */
  rootDir: string;
  git: GitRunner;
  now: () => Date;
  /** Per task workspace; checked after cloning and before each commit. */
  maxBytes?: number;
};

export type WorkspaceManager = {
  /** Clones on first use, reuses afterwards; throws with git's message (token removed) when cloning fails. */
  open(input: OpenWorkspaceInput): Promise<OpenedWorkspace>;
  /** One result per repository; "nothing changed" instead of an empty commit. */
  commit(workspace: OpenedWorkspace, input: CommitInput): Promise<CommitResult[]>;
  push(
    workspace: OpenedWorkspace,
    input: { token?: string | undefined; signal?: AbortSignal | undefined },
  ): Promise<void>;
  /** Throws WorkspaceTooLargeError when the task's workspace is over its limit. */
  checkSize(taskId: string): Promise<void>;
  /** When the task's pull request is merged or closed, or the task is deleted. */
  remove(taskId: string): Promise<void>;
  sweep(input: SweepInput): Promise<{ removed: string[] }>;
};

export function createWorkspaceManager(deps: WorkspaceManagerDeps): WorkspaceManager {
  const maxBytes = deps.maxBytes ?? DEFAULT_WORKSPACE_MAX_BYTES;
  const checkSize = (taskId: string) =>
    assertWithinSize(
      workspaceLayout(deps.rootDir, taskId).taskDir,
      maxBytes,
      `The workspace of task ${taskId}`,
    );
  return {
    open: (input) => openWorkspace({ rootDir: deps.rootDir, git: deps.git, now: deps.now, maxBytes }, input),
    async commit(workspace, input) {
      await checkSize(input.taskId);
      const results: CommitResult[] = [];
      for (const repository of workspace.repositories) {
        results.push(await commitRepository(deps.git, repository, input));
      }
      return results;
    },
    async push(workspace, input) {
      for (const repository of workspace.repositories) {
        await pushTaskBranch(deps.git, repository, { ...input, taskBranch: workspace.taskBranch });
      }
    },
    checkSize,
    remove: (taskId) => rm(workspaceLayout(deps.rootDir, taskId).taskDir, { recursive: true, force: true }),
    sweep: (input) => sweepWorkspaces({ rootDir: deps.rootDir, now: deps.now }, input),
  };
}
