// The tools a step's model asked for in its last turn, run one after another, each announced on the
// task's stream (`agent_action` tool_call, then tool_result). Repository tools (edit, bash in the task's
// workspace) plug in here through the registry.
import type { Engine } from "../engine";
import { taskScope } from "../events/scopes";
import type { ModelContentBlock, ModelResponse } from "../providers/types";
import type { StepContext } from "./step-context";

export type ToolUseBlock = Extract<ModelContentBlock, { type: "tool_use" }>;

/** An outer bound on any one tool call, so a step never hangs on a tool that ignores its own timeout. */
const TOOL_CALL_LIMIT_MS = 120_000;

export const toolUsesOf = (response: ModelResponse): ToolUseBlock[] =>
  response.content.filter((b): b is ToolUseBlock => b.type === "tool_use");

/**
 * Runs each tool use and returns the `tool_result` blocks for the model's next turn, in the same order. A
 * tool's failure comes back as an error result the model can read (the registry never throws).
 */
export async function runToolCalls(
  engine: Engine,
  { run, task, agent }: StepContext,
  toolUses: ToolUseBlock[],
): Promise<ModelContentBlock[]> {
  const scope = taskScope(task);
  const results: ModelContentBlock[] = [];
  for (const use of toolUses) {
    await engine.bus.publish({
      type: "agent_action",
      scope,
      payload: {
        agentId: agent.id,
        runId: run.id,
        type: "tool_call",
        tool: use.name,
        content: JSON.stringify(use.input),
      },
    });
    const outcome = await engine.tools.execute(use.name, use.input, {
      runId: run.id,
      taskId: task.id,
      projectId: run.projectId,
      agentId: agent.id,
      role: agent.role,
      userId: run.startedById ?? "",
      signal: AbortSignal.timeout(TOOL_CALL_LIMIT_MS),
    });
    await engine.bus.publish({
      type: "agent_action",
      scope,
      payload: {
        agentId: agent.id,
        runId: run.id,
        type: "tool_result",
        tool: use.name,
        content: outcome.content,
      },
    });
    results.push({
      type: "tool_result",
      toolUseId: use.id,
      content: outcome.content,
      isError: outcome.isError,
    });
  }
  return results;
}
