// The agent's rules file (`rulesFilePath`: CLAUDE.md, .cursorrules, …) read from the task's working trees, so
// its content joins the agent's system prompt as the contract says. Only a step with a workspace has the
// repository on disk; the first repository holding the file wins.
import { readFile, stat } from "node:fs/promises";
import type { Engine } from "../engine";
import { MAX_RULES_CHARS } from "../roles/prompt-rules";
import type { ToolRepository } from "../tools/registry";
import { resolveWorkspacePath } from "../workspaces/resolve-path";

/** Reading more than this is pointless: the prompt keeps MAX_RULES_CHARS of it. */
const MAX_RULES_BYTES = MAX_RULES_CHARS * 4;

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
