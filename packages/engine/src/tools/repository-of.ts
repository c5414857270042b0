// Which repositories of the workspace a tool call concerns: the one holding the given path, or all.
import path from "node:path";
import { isInside, resolveWorkspacePath } from "../workspaces/resolve-path";
import type { ToolContext, ToolRepository, ToolResult, ToolWorkspace } from "./registry";

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

/** The step's workspace and the scopes of `requested` in it, or the tool error to return instead. */
export async function workspaceScopes(
  ctx: ToolContext,
  requested: string | undefined,
): Promise<{ workspace: ToolWorkspace; scopes: Scope[] } | { failed: ToolResult }> {
  const workspace = ctx.workspace;
  if (!workspace) return { failed: { content: "This step has no workspace.", isError: true } };
  const scopes = await scopesFor(workspace, requested).catch((error: Error) => error);
  if (scopes instanceof Error) return { failed: { content: scopes.message, isError: true } };
  return { workspace, scopes };
}
