// Start-up housekeeping: the workspaces of tasks that are gone, completed, or whose pull requests were all
// merged or closed are removed, and so are workspaces nobody opened for a long time (the task branch is on
// GitHub; a later step clones it again).
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import type { Engine } from "../engine";

export const WORKSPACE_MAX_IDLE_MS = 14 * 24 * 3_600_000;

export async function sweepTaskWorkspaces(
  engine: Engine,
  options: { maxIdleMs?: number } = {},
): Promise<{ removed: string[] }> {
  const code = engine.code;
  if (!code) return { removed: [] };
  return code.workspaces.sweep({
    maxIdleMs: options.maxIdleMs ?? WORKSPACE_MAX_IDLE_MS,
    keep: async (taskId) => {
      const task = await engine.db.query.tasks.findFirst({
        columns: { status: true },
        where: eq(schema.tasks.id, taskId),
      });
      if (!task || task.status === "completed") return false;
      const pulls = await engine.db.query.pullRequests.findMany({
        columns: { state: true },
        where: eq(schema.pullRequests.taskId, taskId),
      });
      return pulls.length === 0 || pulls.some((p) => p.state === "open");
    },
  });
}

/** When a task's pull request is merged or closed, or the task is deleted. */
export async function removeTaskWorkspace(engine: Engine, taskId: string): Promise<void> {
  await engine.code?.workspaces.remove(taskId);
}
