// The agent's rules file (`rulesFilePath`: CLAUDE.md, .cursorrules, …), whose content joins the agent's system
// prompt as the contract says (API.md §2.4). A coding step reads it from the task's working trees first (they
// may hold the branch's newer version); otherwise, and for chats and steps without a workspace, it is read
// from the project's repositories on GitHub (rules-from-github.ts). The first repository holding it wins.
import { readFile, stat } from "node:fs/promises";
import type { Engine } from "../engine";
import { MAX_RULES_BYTES } from "../roles/prompt-rules";
import type { ToolRepository } from "../tools/registry";
import { resolveWorkspacePath } from "../workspaces/resolve-path";
import { readRulesFromGitHub } from "./rules-from-github";

export async function readRulesFile(
  engine: Engine,
  repositories: readonly { tool: ToolRepository }[],
  rulesFilePath: string | null,
): Promise<string | null> {
  if (!rulesFilePath) return null;
  for (const { tool } of repositories) {
    try {
      // Inside the working tree only, even through symlinks the repository itself may hold.
      const { absolute } = await resolveWorkspacePath(tool.path, rulesFilePath);
      const info = await stat(absolute).catch(() => null);
      if (!info?.isFile()) continue;
      const bytes = await readFile(absolute);
      return bytes.subarray(0, MAX_RULES_BYTES).toString("utf8");
    } catch (error) {
      engine.logger.error(`The rules file ${rulesFilePath} could not be read`, error);
    }
  }
  return null;
}

/**
 * The agent's rules for a step or a chat reply: from the working trees when there are some and one holds the
 * file, else from the project's repositories on GitHub as `userId` (or the GitHub App). Never fails: without
 * a readable file the agent answers without rules.
 */
export async function agentRules(
  engine: Engine,
  input: {
    rulesFilePath: string | null;
    projectId: string | null;
    /** Whose GitHub connection reads the file when the GitHub App is not installed on the repository. */
    userId: string | null;
    workspaceRepositories?: readonly { tool: ToolRepository }[] | undefined;
  },
): Promise<string | null> {
  if (!input.rulesFilePath) return null;
  if (input.workspaceRepositories) {
    const local = await readRulesFile(engine, input.workspaceRepositories, input.rulesFilePath);
    if (local !== null) return local;
  }
  if (!input.projectId) return null;
  return readRulesFromGitHub(engine, {
    projectId: input.projectId,
    userId: input.userId,
    path: input.rulesFilePath,
  });
}
