// The tools over a task's workspace, built from the operator's sandbox settings. They are offered only to
// steps that have a workspace (see Tool.needsWorkspace), so registering them changes nothing elsewhere.
import type { CommandLimits, SandboxConfig } from "../sandbox/run-command";
import type { GitRunner } from "../workspaces/git-runner";
import { createBashTool } from "./bash";
import { createGitDiffTool } from "./git-diff";
import type { Tool } from "./registry";
import { createSearchCodeTool } from "./search-code";
import { textEditorTool } from "./text-editor";

export type WorkspaceToolsDeps = {
  sandbox: SandboxConfig;
  git: GitRunner;
  commandLimits?: Partial<CommandLimits>;
};

export function createWorkspaceTools(deps: WorkspaceToolsDeps): Tool<never>[] {
  return [
    textEditorTool,
    createSearchCodeTool(deps.git),
    createGitDiffTool(deps.git),
    createBashTool(deps.sandbox, deps.commandLimits),
  ] as Tool<never>[];
}
