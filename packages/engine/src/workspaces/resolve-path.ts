// Turns a path a model sends into a real path inside the workspace, or refuses it. Models send absolute
// paths (as the text editor tool teaches them) and relative ones; both must end up under the root even
// after following symlinks, which the agent's own commands may have created.
import { lstat, realpath } from "node:fs/promises";
import path from "node:path";

export class WorkspacePathError extends Error {
  override name = "WorkspacePathError";
}

export type ResolvedPath = {
  /** The absolute path with symlinks resolved as far as the path exists. */
  absolute: string;
  /** The same path relative to the workspace root ("" for the root itself). */
  relative: string;
};

/**
 * Resolves `requested` (absolute, or relative to `root`) and checks it stays inside `root`. A path that
 * does not exist yet (a file to create) is checked through its deepest existing ancestor. `root` must
 * already be a real path (ToolWorkspace.root is).
 */
export async function resolveWorkspacePath(root: string, requested: string): Promise<ResolvedPath> {
  if (requested.trim() === "") throw new WorkspacePathError("The path is empty.");
  if (requested.includes("\0")) throw new WorkspacePathError("The path contains a NUL character.");
  const lexical = path.resolve(root, requested);
  if (!isInside(root, lexical)) throw outside(requested, root);

  const { existing, rest } = await deepestExisting(lexical);
  const real = path.join(await realpathOrRefuse(existing, requested), ...rest);
  if (!isInside(root, real)) throw outside(requested, root);
  return { absolute: real, relative: path.relative(root, real) };
}

/** Whether `candidate` is `root` or lies below it (both absolute and normalised). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

async function deepestExisting(absolute: string): Promise<{ existing: string; rest: string[] }> {
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    // lstat, not realpath: a dangling symlink exists, and writing through it would land wherever it points.
    const found = await lstat(current).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return false;
        throw error;
      },
    );
    if (found) return { existing: current, rest };
    const parent = path.dirname(current);
    if (parent === current) return { existing: current, rest };
    rest.unshift(path.basename(current));
    current = parent;
  }
}

async function realpathOrRefuse(existing: string, requested: string): Promise<string> {
  try {
    return await realpath(existing);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new WorkspacePathError(`The path ${requested} goes through a symbolic link that leads nowhere.`);
  }
}

function outside(requested: string, root: string): WorkspacePathError {
  return new WorkspacePathError(
    `The path ${requested} is outside the workspace. Use a path under ${root} (or relative to it).`,
  );
}
