// The registry every step starts from: the built-in tools that need no network or repository.
import { ToolRegistry, type ToolRegistryOptions } from "./registry";
import { thinkTool } from "./think";

export function createDefaultToolRegistry(options: ToolRegistryOptions = {}): ToolRegistry {
  return new ToolRegistry(options).register(thinkTool);
}
