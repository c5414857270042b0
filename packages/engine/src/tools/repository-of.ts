// Which repositories of the workspace a tool call concerns: the one holding the given path, or all.
import path from "node:path";
import { isInside, resolveWorkspacePath } from "../workspaces/resolve-path";
import type { ToolRepository, ToolWorkspace } from "./registry";

export type Scope = {
  repository: ToolRepository /** Pathspec inside it; "" for all of it. */;
  pathspec: string;
};

/** Throws a WorkspacePathError for a path outside the workspace; [] when the path is in no repository. */
export async function scopesFor(workspace: ToolWorkspace, requested: string | undefined): Promise<Scope[]> {
  if (requested === undefined || requested.trim() === "") {
    return workspace.repositories.map((repository) => ({ repository, pathspec: "" }));
  }
  const target = await resolveWorkspacePath(workspace.root, requested);
  return workspace.repositories.flatMap((repository) => {
    if (isInside(repository.path, target.absolute)) {
      return [{ repository, pathspec: path.relative(repository.path, target.absolute) }];
    }
    // A directory above the repositories (the workspace root) covers each of them whole.
    return isInside(target.absolute, repository.path) ? [{ repository, pathspec: "" }] : [];
  });
}

export const gitArgsFor = (repository: ToolRepository) => [
  `--git-dir=${repository.gitDir}`,
  `--work-tree=${repository.path}`,
  "--literal-pathspecs",
];
