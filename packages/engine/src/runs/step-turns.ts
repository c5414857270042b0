// A step's model turns, one after another until the agent gives its answer: each turn hears people's new
// words, streams the model's reply into the step's message (metered and checkpointed with the call), runs
// the tools it asked for, and the final answer is held to the role's output contract before the step ends.
import { preparedOn, schema } from "@crewdeck/db";
import { eq, sql } from "drizzle-orm";
import type { Engine } from "../engine";
import { EngineError } from "../errors";
import type { ModelContentBlock, ModelResponse } from "../providers/types";
import { finishStep } from "./finish-step";
import { checkOutputContract } from "./output-contract-check";
import { pauseRun } from "./run-control";
import { type StepCheckpoint, saveCheckpoint } from "./step-checkpoint";
import type { StepContext } from "./step-context";
import { streamTurn } from "./stream-turn";
import { answerToolUses, toolUsesOf } from "./tool-calls";
import { firstCheckpoint, hearPeople, newUserMessages } from "./turn-request";

/** Enough for a tool-using step; a model that keeps calling tools past this is stopped. */
export const MAX_TURNS = 16;

/**
 * Takes the step from its stored checkpoint (or its prompt) to its end; true when this attempt completed it.
 * Returns early, leaving the step as it is, when the run stopped or the agent was paused between turns;
 * throws an EngineError to fail it.
 */
export async function runStepTurns(engine: Engine, ctx: StepContext): Promise<boolean> {
  const { run, step } = ctx;
  let checkpoint = (step.checkpoint as StepCheckpoint | null) ?? (await firstCheckpoint(engine, ctx));
  while (true) {
    // A step resumed after a crash between a tool-use turn and its last result finishes those calls first.
    checkpoint = await answerToolUses(engine, ctx, checkpoint);
    if (!(await mayTakeTurn(engine, ctx, checkpoint))) return false;
    checkpoint = await hearPeople(engine, ctx, checkpoint);
    const turn = await streamTurn(engine, ctx, checkpoint);
    if (!turn) return false;
    checkpoint = turn.checkpoint;

    // Its tool uses are answered (each result checkpointed) at the top of the loop.
    if (toolUsesOf(turn.response).length > 0) continue;

    const answer = answerOf(turn.response);
    // Someone wrote to the agent while it was answering: it hears them before the step ends.
    const lateWords = await newUserMessages(engine, ctx, checkpoint.seenMessageIds);
    if (lateWords.length > 0 && checkpoint.turns < MAX_TURNS) {
      await saveCheckpoint(engine, step, checkpoint);
      continue;
    }
    const correction = await checkOutputContract(engine, ctx, checkpoint, answer, turn.response.stopReason);
    if (correction) {
      checkpoint = correction;
      await saveCheckpoint(engine, step, checkpoint);
      continue;
    }
    return finishStep(engine, {
      runId: run.id,
      stepId: step.id,
      lease: step,
      output: answer,
      text: checkpoint.text,
      position: { stepIndex: step.stepIndex, totalSteps: run.totalSteps },
    });
  }
}

/** The run's and the agent's status, in one statement. */
const statuses = preparedOn((db) =>
  db
    .select({ run: schema.runs.status, agent: schema.agents.status })
    .from(schema.runs)
    .leftJoin(schema.agents, eq(schema.agents.id, sql.placeholder("agentId")))
    .where(eq(schema.runs.id, sql.placeholder("runId")))
    .prepare(),
);

/**
 * Whether the step may call the model again: the run is still running (not cancelled or paused from
 * outside) and the agent not paused since (then the run pauses here, at a safe point). A step past its
 * turns fails.
 */
async function mayTakeTurn(engine: Engine, { run, agent }: StepContext, checkpoint: StepCheckpoint) {
  const current = await statuses(engine.db).get({ runId: run.id, agentId: agent.id });
  if (current?.run !== "running") return false;
  if (current.agent === "paused") {
    await pauseRun(engine, run.id, `${agent.name} was paused`);
    return false;
  }
  if (checkpoint.turns >= MAX_TURNS) {
    throw new EngineError(
      "CONFLICT",
      `${agent.name} used ${MAX_TURNS} model turns without finishing the step`,
    );
  }
  return true;
}

/** The answer's text, as the step's output and the contract read it (tool-use blocks aside). */
const answerOf = (response: ModelResponse): string =>
  response.content
    .filter((b): b is Extract<ModelContentBlock, { type: "text" }> => b.type === "text")
    .map((b) => b.text)
    .join("");
