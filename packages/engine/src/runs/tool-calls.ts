// The tools a step's model asked for in its last turn, run one after another, each announced on the
// task's stream (`agent_action` tool_call, then tool_result). Each result is checkpointed as it completes,
// and the call under way is marked first, so a step resumed after a crash neither runs a finished call
// again nor sends the provider a transcript that ends in an unanswered `tool_use`. The announcements are
// staged in the outbox with those two checkpoints: what a watcher sees is what the step stored, and a bus
// that is down (Redis restarting) neither loses them nor holds the step up.
import { randomUUID } from "node:crypto";
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import type { Engine } from "../engine";
import { taskScope } from "../events/scopes";
import type { EventInput } from "../events/types";
import type { ModelContentBlock, ModelResponse } from "../providers/types";
import { logRun } from "./run-log";
import { appendUserContent, type StepCheckpoint, saveCheckpoint } from "./step-checkpoint";
import type { StepContext } from "./step-context";

export type ToolUseBlock = Extract<ModelContentBlock, { type: "tool_use" }>;

/** An outer bound on any one tool call, so a step never hangs on a tool that ignores its own timeout. */
const TOOL_CALL_LIMIT_MS = 10 * 60_000;

/** Marks a bash command in the run's log; the pull request's body lists these as the tests run. */
export const COMMAND_LOG_PREFIX = "Command run by ";

export const INTERRUPTED_TOOL_RESULT =
  "This tool call was interrupted (the server stopped) before its result was recorded, so it may or may not have taken effect. Check the current state (view the file, git_diff, re-read the output) before repeating it.";

export const toolUsesOf = (response: ModelResponse): ToolUseBlock[] =>
  response.content.filter((b): b is ToolUseBlock => b.type === "tool_use");

/**
 * The tool uses of the checkpoint's last assistant turn that have no result yet: all of them right after a
 * tool-use turn, the rest of them when a step died between two results, none otherwise.
 */
export function unansweredToolUses(checkpoint: StepCheckpoint): ToolUseBlock[] {
  const { messages } = checkpoint;
  const lastAssistant = messages.findLastIndex((m) => m.role === "assistant");
  if (lastAssistant === -1 || lastAssistant < messages.length - 2) return [];
  const turn = messages[lastAssistant];
  if (!turn || typeof turn.content === "string") return [];
  const uses = turn.content.filter((b): b is ToolUseBlock => b.type === "tool_use");
  const next = messages[lastAssistant + 1];
  const answered = new Set(
    next && typeof next.content !== "string"
      ? next.content.flatMap((b) => (b.type === "tool_result" ? [b.toolUseId] : []))
      : [],
  );
  return uses.filter((u) => !answered.has(u.id));
}

/**
 * Answers the checkpoint's unanswered tool uses, storing the checkpoint before each call (marked in flight)
 * and after each result. A call found in flight was interrupted by a crash: it is answered as such, never run
 * again, since a write or a command may already have happened. Returns the checkpoint with every result.
 */
export async function answerToolUses(
  engine: Engine,
  ctx: StepContext,
  start: StepCheckpoint,
): Promise<StepCheckpoint> {
  let checkpoint = start;
  for (const use of unansweredToolUses(start)) {
    // Cancelled or paused between two calls: the rest waits (a resumed step answers it).
    if (!(await runIsRunning(engine, ctx.run.id))) return checkpoint;
    let outcome: { content: string; isError: boolean };
    let announce: EventInput | undefined;
    if (checkpoint.toolInFlight === use.id) {
      outcome = { content: INTERRUPTED_TOOL_RESULT, isError: true };
      await logRun(
        engine.db,
        ctx.run.id,
        `Tool call ${use.name} was interrupted by a restart; the agent is asked to check its effect`,
        "warn",
      );
    } else {
      checkpoint = { ...checkpoint, toolInFlight: use.id };
      await saveCheckpoint(
        engine,
        ctx.step,
        checkpoint,
        action(ctx, use, "tool_call", JSON.stringify(use.input)),
      );
      outcome = await runToolCall(engine, ctx, use);
      announce = action(ctx, use, "tool_result", outcome.content);
    }
    const result: ModelContentBlock = {
      type: "tool_result",
      toolUseId: use.id,
      content: outcome.content,
      isError: outcome.isError,
    };
    checkpoint = {
      ...checkpoint,
      messages: appendUserContent(checkpoint.messages, [result]),
      toolInFlight: null,
    };
    await saveCheckpoint(engine, ctx.step, checkpoint, announce);
    if (announce) await logCommand(engine, ctx, use, outcome);
  }
  return checkpoint;
}

/** The `agent_action` event for a tool call the step's agent made, or its result. */
function action(
  { run, task, agent }: StepContext,
  use: ToolUseBlock,
  type: "tool_call" | "tool_result",
  content: string,
): EventInput<"agent_action"> {
  return {
    type: "agent_action",
    scope: taskScope(task),
    payload: { agentId: agent.id, runId: run.id, type, tool: use.name, content },
  };
}

/** A bash command goes to the run's log with its exit code: the pull request lists these as the tests run. */
async function logCommand(
  engine: Engine,
  { run, agent }: StepContext,
  use: ToolUseBlock,
  outcome: { content: string; isError: boolean },
) {
  const command = commandOf(use);
  if (!command) return;
  const exit = /\[exit code (\d+)\]\s*$/.exec(outcome.content)?.[1] ?? (outcome.isError ? "error" : "0");
  await logRun(engine.db, run.id, `${COMMAND_LOG_PREFIX}${agent.role}: \`${command}\` → exit ${exit}`);
}

/**
 * Runs one tool use in the step's workspace (if any). Registered with the running calls, so cancelling the
 * run, pausing its project or an emergency stop aborts the tool too, not only its timeout. A tool's failure
 * comes back as an error result the model can read (the registry never throws).
 */
async function runToolCall(
  engine: Engine,
  { run, task, agent, workspace, leaseLost }: StepContext,
  use: ToolUseBlock,
): Promise<{ content: string; isError: boolean }> {
  const controller = new AbortController();
  const unregister = engine.calls.add({
    id: randomUUID(),
    userId: run.startedById ?? "",
    projectId: run.projectId,
    agentId: agent.id,
    conversationId: task.conversationId,
    taskId: task.id,
    runId: run.id,
    model: `tool:${use.name}`,
    startedAt: engine.now(),
    controller,
    abortReason: null,
  });
  let outcome: { content: string; isError: boolean };
  try {
    outcome = await engine.tools.execute(use.name, use.input, {
      runId: run.id,
      taskId: task.id,
      projectId: run.projectId,
      agentId: agent.id,
      role: agent.role,
      userId: run.startedById ?? "",
      // The run's cancel (through the registry), the step's lease lost to another process, or the outer bound.
      signal: AbortSignal.any([
        controller.signal,
        AbortSignal.timeout(TOOL_CALL_LIMIT_MS),
        ...(leaseLost ? [leaseLost] : []),
      ]),
      ...(workspace && { workspace: workspace.tool }),
    });
  } finally {
    unregister();
  }
  return outcome;
}

async function runIsRunning(engine: Engine, runId: string): Promise<boolean> {
  const run = await engine.db.query.runs.findFirst({
    columns: { status: true },
    where: eq(schema.runs.id, runId),
  });
  return run?.status === "running";
}

/** The shell command of a `bash` tool use, one line, for the run's log. */
function commandOf(use: ToolUseBlock): string | null {
  if (use.name !== "bash") return null;
  const command = (use.input as { command?: unknown } | null)?.command;
  if (typeof command !== "string" || !command.trim()) return null;
  return command.trim().replace(/\s+/g, " ").slice(0, 300);
}
