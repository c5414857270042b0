// A task's workspace (its clones and working trees) goes when the task no longer works in it. Best effort: a
// workspace that cannot be removed now is swept at the next start; the request or delivery that asked for it
// does not fail.
import { releaseTaskWorkspace, removeTaskWorkspace } from "@crewdeck/engine";
import type { ApiDeps } from "../../context";

type WorkspaceDeps = Pick<ApiDeps, "engine">;

async function quietly(deps: WorkspaceDeps, taskId: string, remove: () => Promise<unknown>) {
  try {
    await remove();
  } catch (error) {
    deps.engine.logger.error(`Removing the workspace of task ${taskId} failed`, error);
  }
}

/**
 * One of the task's pull requests was merged or closed (approved here, or on GitHub): the workspace goes
 * unless the task still works in it (another open pull request, a run under way).
 */
export const releaseWorkspaceAfterPullRequest = (deps: WorkspaceDeps, taskId: string) =>
  quietly(deps, taskId, () => releaseTaskWorkspace(deps.engine, taskId));

/** The task was deleted. */
export const removeDeletedTaskWorkspace = (deps: WorkspaceDeps, taskId: string) =>
  quietly(deps, taskId, () => removeTaskWorkspace(deps.engine, taskId));
