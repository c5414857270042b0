// One model call of a step, streamed live into the step's message in the task's conversation.
import { callModel } from "../calls/model-call";
import { createDeltaPublisher } from "../conversations/message-events";
import type { Engine } from "../engine";
import { EngineError } from "../errors";
import { taskScope } from "../events/scopes";
import type { ModelResponse } from "../providers/types";
import { logRun } from "./run-log";
import { recordTurn, type StepCheckpoint } from "./step-checkpoint";
import type { StepContext } from "./step-context";
import { turnRequest } from "./turn-request";

export type AnsweredTurn = {
  response: ModelResponse;
  /** The checkpoint after the call, already stored with the call's usage. */
  checkpoint: StepCheckpoint;
};

/**
 * Sends the checkpoint's conversation and streams the answer into the step's message (`message_delta`),
 * then commits the call's usage, the message's text and the checkpoint after it in one transaction with
 * the usage record. Returns null when the call was aborted from outside (cancel, pause: whoever aborted it
 * has already set the run's state); a call that failed otherwise fails the step.
 */
export async function streamTurn(
  engine: Engine,
  ctx: StepContext,
  before: StepCheckpoint,
): Promise<AnsweredTurn | null> {
  const { run, step, task } = ctx;
  const conversationId = task.conversationId;
  const deltas = createDeltaPublisher(
    engine.bus,
    taskScope(task),
    step.messageId && conversationId ? { messageId: step.messageId, conversationId } : null,
  );
  // Each turn's text follows the earlier turns' as its own paragraph in the step's one message.
  let streamed = before.text && !before.text.endsWith("\n\n") ? "\n\n" : "";
  let after = null as StepCheckpoint | null;
  const result = await callModel(engine, {
    ...turnRequest(engine, ctx, before),
    signal: ctx.leaseLost,
    onText: (delta) => {
      streamed += delta;
      deltas.publish(delta);
    },
    onRetry: (notice) => {
      void logRun(
        engine.db,
        run.id,
        `Model call retried (attempt ${notice.attempt}): ${notice.message}`,
        "warn",
      );
    },
    commit: async (tx, record, response) => {
      // A turn that said nothing (tool calls only) adds no empty paragraph; a failed one keeps what arrived.
      const text = response ? before.text + (streamed.trim() ? streamed : "") : before.text + streamed;
      after = response
        ? {
            ...before,
            messages: [...before.messages, { role: "assistant", content: response.content }],
            text,
            turns: before.turns + 1,
          }
        : null;
      await recordTurn(tx, step, record, after, text);
    },
  });
  await deltas.flushed();
  if (!result.ok) {
    if (result.error.info.aborted) return null;
    throw new EngineError("MODEL_PROVIDER_ERROR", `The model call failed: ${result.error.message}`);
  }
  return { response: result.response, checkpoint: after ?? before };
}
