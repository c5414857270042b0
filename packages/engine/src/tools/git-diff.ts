// Shows what the task changed: against the branch it started from (committed work of earlier steps
// included), or only what is not committed yet. New files are listed, since `git diff` leaves them out.
import path from "node:path";
import { z } from "zod";
import type { GitRunner } from "../workspaces/git-runner";
import type { Tool } from "./registry";
import { gitArgsFor, workspaceScopes } from "./repository-of";
import { READING_ROLES } from "./workspace-roles";

const input = z.object({
  path: z.string().optional().describe("Limit the diff to this file or directory of the workspace."),
  against: z
    .enum(["base", "uncommitted"])
    .optional()
    .describe(
      "`base` (default): everything since the branch the task started from; `uncommitted`: only changes not committed yet.",
    ),
});

export type GitDiffInput = z.infer<typeof input>;

export function createGitDiffTool(git: GitRunner): Tool<GitDiffInput> {
  return {
    name: "git_diff",
    description:
      "Show the changes in the task's repositories as a unified diff, against the branch the task started from (default) or only the uncommitted ones, plus the new files not yet tracked.",
    input,
    roles: READING_ROLES,
    needsWorkspace: true,
    async execute(args, ctx) {
      const scoped = await workspaceScopes(ctx, args.path);
      if ("failed" in scoped) return scoped.failed;
      const { workspace, scopes } = scoped;
      const sections: string[] = [];
      for (const { repository, pathspec } of scopes) {
        const run = (rest: string[]) =>
          git({ args: [...gitArgsFor(repository), ...rest], cwd: repository.path, signal: ctx.signal });
        const paths = ["--", ...(pathspec ? [pathspec] : [])];
        let from = "HEAD";
        if (args.against !== "uncommitted") {
          const base = await run(["merge-base", `refs/remotes/origin/${repository.baseBranch}`, "HEAD"]);
          if (base.exitCode !== 0)
            return { content: `Cannot find the base branch ${repository.baseBranch}.`, isError: true };
          from = base.stdout.trim();
        }
        const diff = await run(["diff", "--no-ext-diff", "--no-textconv", "--no-color", from, ...paths]);
        if (diff.exitCode !== 0) return { content: `The diff failed: ${diff.stderr.trim()}`, isError: true };
        const untracked = await run(["ls-files", "--others", "--exclude-standard", ...paths]);
        const name = path.relative(workspace.root, repository.path);
        const parts = [diff.stdout.trimEnd()];
        if (untracked.stdout.trim()) parts.push(`New files, not in the diff:\n${untracked.stdout.trimEnd()}`);
        const body = parts.filter(Boolean).join("\n\n");
        sections.push(`## ${name}\n${body || "No changes."}`);
      }
      return { content: sections.join("\n\n") || "The path is in no repository of the workspace." };
    },
  };
}
