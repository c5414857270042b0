// Removes workspaces nobody will use again: those of tasks that are finished or gone, and those left
// untouched for too long. Run at start-up; a crash between runs otherwise leaves clones behind for ever.
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";

export type SweepInput = {
  /** Whether a task's workspace is still wanted (the task exists and its pull request is open). */
  keep: (taskId: string) => boolean | Promise<boolean>;
  /** Workspaces unused for longer are removed even when kept; omit to keep them however old. */
  maxIdleMs?: number;
};

export async function sweepWorkspaces(
  deps: { rootDir: string; now: () => Date },
  input: SweepInput,
): Promise<{ removed: string[] }> {
  const entries = await readdir(deps.rootDir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const taskDir = path.join(deps.rootDir, entry.name);
    const lastUsed = await stat(path.join(taskDir, "last-used")).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    const idle = deps.now().getTime() - lastUsed;
    const stale = input.maxIdleMs !== undefined && idle > input.maxIdleMs;
    if (stale || !(await input.keep(entry.name))) {
      await rm(taskDir, { recursive: true, force: true });
      removed.push(entry.name);
    }
  }
  return { removed };
}
