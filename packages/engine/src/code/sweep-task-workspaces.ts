// When a task's workspace goes: at start-up for the tasks that are gone, completed, or whose pull requests
// were all merged or closed, and for workspaces nobody opened for a long time; and as soon as one of those
// happens (a merge, a close, a deletion). The task branch is on GitHub; a later step clones it again.
import { schema } from "@crewdeck/db";
import { ACTIVE_RUN_STATUSES } from "@crewdeck/domain";
import { and, eq, inArray } from "drizzle-orm";
import type { Engine } from "../engine";

export const WORKSPACE_MAX_IDLE_MS = 14 * 24 * 3_600_000;

/**
 * Whether a task still works in its workspace: it exists, is not completed, and either has a run under way
 * or has no pull request yet or one still open (a revision would push to it).
 */
async function needsWorkspace(engine: Engine, taskId: string): Promise<boolean> {
  const task = await engine.db.query.tasks.findFirst({
    columns: { status: true },
    where: eq(schema.tasks.id, taskId),
  });
  if (!task) return false;
  const active = await engine.db.query.runs.findFirst({
    columns: { id: true },
    where: and(eq(schema.runs.taskId, taskId), inArray(schema.runs.status, ACTIVE_RUN_STATUSES)),
  });
  if (active) return true;
  if (task.status === "completed") return false;
  const pulls = await engine.db.query.pullRequests.findMany({
    columns: { state: true },
    where: eq(schema.pullRequests.taskId, taskId),
  });
  return pulls.length === 0 || pulls.some((p) => p.state === "open");
}

export async function sweepTaskWorkspaces(
  engine: Engine,
  options: { maxIdleMs?: number } = {},
): Promise<{ removed: string[] }> {
  const code = engine.code;
  if (!code) return { removed: [] };
  return code.workspaces.sweep({
    maxIdleMs: options.maxIdleMs ?? WORKSPACE_MAX_IDLE_MS,
    keep: (taskId) => needsWorkspace(engine, taskId),
  });
}

/** When the task is deleted: its workspace goes whatever it held. */
export async function removeTaskWorkspace(engine: Engine, taskId: string): Promise<void> {
  await engine.code?.workspaces.remove(taskId);
}

/**
 * When one of the task's pull requests was merged or closed: the workspace goes unless the task still works
 * in it (another open pull request, a run under way). True when it was removed.
 */
export async function releaseTaskWorkspace(engine: Engine, taskId: string): Promise<boolean> {
  if (!engine.code || (await needsWorkspace(engine, taskId))) return false;
  await engine.code.workspaces.remove(taskId);
  return true;
}
