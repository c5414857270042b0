// How much disk a workspace takes, and the clear error when it takes too much.
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";

export class WorkspaceTooLargeError extends Error {
  override name = "WorkspaceTooLargeError";
}

/** Bytes used by the files under `dir`, without following symlinks (a link to / must not count the disk). */
export async function directorySize(dir: string): Promise<number> {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const entries = await readdir(current, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else total += (await lstat(full).catch(() => null))?.size ?? 0;
    }
  }
  return total;
}

export async function assertWithinSize(dir: string, maxBytes: number, what: string): Promise<void> {
  const used = await directorySize(dir);
  if (used > maxBytes) {
    throw new WorkspaceTooLargeError(
      `${what} uses ${formatBytes(used)}, over its limit of ${formatBytes(maxBytes)}. ` +
        "Remove build outputs and dependencies it does not need to keep (they are not committed anyway), " +
        "or raise WORKSPACE_MAX_BYTES.",
    );
  }
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
