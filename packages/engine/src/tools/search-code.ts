// Searches the workspace's files (tracked and new, not ignored) with `git grep`: fast, respects
// .gitignore, and needs no sandbox because it runs no code of the repository's.
import path from "node:path";
import { z } from "zod";
import type { GitRunner } from "../workspaces/git-runner";
import type { Tool } from "./registry";
import { gitArgsFor, workspaceScopes } from "./repository-of";
import { READING_ROLES } from "./workspace-roles";

const MAX_MATCHES = 200;

const input = z.object({
  pattern: z.string().min(1).describe("An extended regular expression, or plain text with fixed_strings."),
  path: z.string().optional().describe("Limit the search to this file or directory of the workspace."),
  fixed_strings: z.boolean().optional().describe("Match the pattern as plain text."),
  ignore_case: z.boolean().optional(),
});

export type SearchCodeInput = z.infer<typeof input>;

export function createSearchCodeTool(git: GitRunner): Tool<SearchCodeInput> {
  return {
    name: "search_code",
    description: `Search the files of the task's repositories (tracked and new files, not ignored ones) for a pattern. Returns matching lines as path:line:text, at most ${MAX_MATCHES}.`,
    input,
    roles: READING_ROLES,
    needsWorkspace: true,
    async execute(args, ctx) {
      const scoped = await workspaceScopes(ctx, args.path);
      if ("failed" in scoped) return scoped.failed;
      const { workspace, scopes } = scoped;
      const matches: string[] = [];
      for (const { repository, pathspec } of scopes) {
        const result = await git({
          args: [
            ...gitArgsFor(repository),
            "grep",
            "--untracked",
            "-n",
            "-I",
            args.fixed_strings ? "-F" : "-E",
            ...(args.ignore_case ? ["-i"] : []),
            "-e",
            args.pattern,
            "--",
            ...(pathspec ? [pathspec] : []),
          ],
          cwd: repository.path,
          signal: ctx.signal,
        });
        // git grep: 0 = matches, 1 = none, anything else = a bad pattern or path.
        if (result.exitCode > 1)
          return { content: `The search failed: ${result.stderr.trim()}`, isError: true };
        const prefix = path.relative(workspace.root, repository.path);
        for (const line of result.stdout.split("\n")) if (line) matches.push(path.join(prefix, line));
      }
      if (matches.length === 0) return { content: `No matches for ${args.pattern}.` };
      const shown = matches.slice(0, MAX_MATCHES);
      const more = matches.length - shown.length;
      return {
        content: shown.join("\n") + (more > 0 ? `\n[… ${more} more matches; narrow the search]` : ""),
      };
    },
  };
}
