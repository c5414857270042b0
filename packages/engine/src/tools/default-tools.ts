// The registry every step starts from: the built-in tools, and the workspace tools when the server has
// set up their sandbox (they are offered only to steps that have a workspace).
import { ToolRegistry, type ToolRegistryOptions } from "./registry";
import { thinkTool } from "./think";
import { createWorkspaceTools, type WorkspaceToolsDeps } from "./workspace-tools";

export function createDefaultToolRegistry(
  options: ToolRegistryOptions & { workspaceTools?: WorkspaceToolsDeps } = {},
): ToolRegistry {
  const registry = new ToolRegistry(options).register(thinkTool);
  if (options.workspaceTools) {
    for (const tool of createWorkspaceTools(options.workspaceTools)) registry.register(tool);
  }
  return registry;
}
