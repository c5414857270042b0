// Anthropic's "think" tool: a no-op that gives the model a place to reason between tool calls (checking a
// tool result against the plan and the rules before acting). It reads and changes nothing; the thought
// itself reaches the run's log as the tool call's input.
import { z } from "zod";
import type { Tool } from "./registry";

export const thinkTool: Tool<{ thought: string }> = {
  name: "think",
  description:
    "Use the tool to think about something. It will not obtain new information or change anything, but just append the thought to the log. Use it when complex reasoning or some cache memory is needed, for example to check what a tool result means for the plan before your next action.",
  input: z.object({ thought: z.string().min(1).describe("A thought to think about.") }),
  // Only roles with other tools have tool results to reason about between calls.
  roles: "code",
  execute: async () => ({ content: "Thought recorded." }),
};
