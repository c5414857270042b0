// The `bash` tool with the name and input of Anthropic's `bash_20250124` client tool: one command in the
// task's workspace, sandboxed (see sandbox/run-command.ts), its output and exit code returned to the model.
import { z } from "zod";
import {
  type CommandLimits,
  DEFAULT_COMMAND_LIMITS,
  runCommand,
  type SandboxConfig,
} from "../sandbox/run-command";
import type { Tool } from "./registry";
import { COMMAND_ROLES } from "./workspace-roles";

const input = z.object({
  command: z.string().optional().describe("The shell command to run in the workspace root."),
  restart: z.boolean().optional().describe("Set to true to restart the shell."),
});

export type BashInput = z.infer<typeof input>;

export function createBashTool(sandbox: SandboxConfig, limits: Partial<CommandLimits> = {}): Tool<BashInput> {
  const effective = { ...DEFAULT_COMMAND_LIMITS, ...limits };
  return {
    name: "bash",
    description: `Run a shell command (sh) in the task's workspace, which holds one working tree per repository. Each call starts a fresh shell in the workspace root; chain commands with && and cd inside one call. No network unless the project allows it; files outside the workspace are read-only; /tmp is private. Commands are stopped after ${Math.round(effective.timeoutMs / 1000)} s and long output is cut in the middle. Git's own data is read-only: change files, and Crewdeck commits them.`,
    input,
    roles: COMMAND_ROLES,
    needsWorkspace: true,
    anthropicClientTool: { type: "bash_20250124" },
    // The sandbox enforces the command's own timeout and reports the output so far; the registry's is a backstop.
    timeoutMs: effective.timeoutMs + 10_000,
    async execute(args, ctx) {
      const workspace = ctx.workspace;
      if (!workspace) return { content: "This step has no workspace.", isError: true };
      if (args.restart)
        return { content: "The shell was restarted (every command starts a fresh one anyway)." };
      if (!args.command?.trim()) return { content: "Parameter `command` is required.", isError: true };
      const outcome = await runCommand(sandbox, {
        command: args.command,
        workspaceRoot: workspace.root,
        network: workspace.network,
        readOnlyPaths: workspace.repositories.map((r) => r.gitDir),
        signal: ctx.signal,
        limits: effective,
      });
      if (outcome.status === "refused") return { content: outcome.message, isError: true };
      const output = outcome.output.trimEnd() || "(no output)";
      if (outcome.timedOut) {
        return {
          content: `${output}\n\n[The command was stopped after ${effective.timeoutMs} ms.]`,
          isError: true,
        };
      }
      if (outcome.aborted)
        return { content: `${output}\n\n[The command was stopped: the step was cancelled.]`, isError: true };
      if (outcome.exitCode !== 0) return { content: `${output}\n\n[exit code ${outcome.exitCode}]` };
      return { content: output };
    },
  };
}
