// Where a step's model conversation stands, stored on the step so a step resumed after a crash or a pause
// goes on from its last finished call: it neither repeats a call nor charges it twice.
import { type Executor, schema, type Transaction } from "@crewdeck/db";
import { and, eq, sql } from "drizzle-orm";
import type { CallRecord } from "../calls/model-call";
import type { Engine } from "../engine";
import { transactionWithEvents } from "../events/outbox";
import type { EventInput } from "../events/types";
import type { ModelContentBlock, ModelMessage } from "../providers/types";
import type { StepRow } from "./step-context";
import { heldBy, type LeaseToken, StepLeaseLost } from "./step-lease";

/** Where a step's model conversation stands after its last finished call (stored on the step). */
export type StepCheckpoint = {
  system: string;
  messages: ModelMessage[];
  /** People's messages already handed to the agent, so none is given twice. */
  seenMessageIds: string[];
  /** What the agent has said so far, as the step's message shows it. */
  text: string;
  turns: number;
  /** Whether the agent was already asked once to fix an answer that broke its output contract. */
  corrected: boolean;
  /**
   * The tool use being executed when this checkpoint was stored: a step resumed with it set died during
   * that call, so the call's effect is unknown and it is answered as interrupted, never run a second time.
   */
  toolInFlight?: string | null;
};

/** Appends text to the last user message, or starts one (tool results and people's words share a turn). */
export function appendUserContent(messages: ModelMessage[], blocks: ModelContentBlock[]): ModelMessage[] {
  const last = messages.at(-1);
  if (last?.role === "user") {
    const content: ModelContentBlock[] =
      typeof last.content === "string" ? [{ type: "text", text: last.content }] : [...last.content];
    return [...messages.slice(0, -1), { role: "user", content: [...content, ...blocks] }];
  }
  return [...messages, { role: "user", content: blocks }];
}

/**
 * A model call's effect on the step, written in the call's own transaction with its usage record: the
 * step's and the message's counters, the message's text and, for a call that answered, the checkpoint
 * after it. A crash leaves either all of it or none.
 */
export async function recordTurn(
  tx: Transaction,
  step: StepRow,
  record: CallRecord,
  checkpoint: StepCheckpoint | null,
  text: string,
): Promise<void> {
  const tokensIn = record.usage.inputTokens;
  const tokensOut = record.usage.outputTokens;
  const { costMicros } = record;
  const s = schema.runSteps;
  // Fenced by the lease: a process that lost the step (taken over elsewhere) leaves the step and its message
  // to the new owner; its call's usage record stands, since the call was made and paid for.
  const [held] = await tx
    .update(s)
    .set({
      tokensIn: sql`${s.tokensIn} + ${tokensIn}`,
      tokensOut: sql`${s.tokensOut} + ${tokensOut}`,
      costMicros: sql`${s.costMicros} + ${costMicros}`,
      ...(checkpoint ? { checkpoint } : {}),
    })
    .where(heldBy(step))
    .returning({ id: s.id });
  if (!held) return;
  if (!step.messageId) return;
  const m = schema.messages;
  await tx
    .update(m)
    .set({
      content: text,
      tokensIn: sql`${m.tokensIn} + ${tokensIn}`,
      tokensOut: sql`${m.tokensOut} + ${tokensOut}`,
      costMicros: sql`${m.costMicros} + ${costMicros}`,
    })
    .where(eq(m.id, step.messageId));
}

/**
 * Stores a checkpoint that no call wrote: tool results or a correction added before the next call. Fenced by
 * the lease of the attempt that claimed the step: a process that lost the step (taken over elsewhere) writes
 * nothing and stops (StepLeaseLost); a step paused or cancelled meanwhile is left as it is. `announce`:
 * an event about what the checkpoint records (a tool call started, its result), staged in the outbox in
 * the same transaction, so it goes out if and only if the checkpoint is stored, whatever the bus does.
 */
export async function saveCheckpoint(
  engine: Engine,
  step: LeaseToken,
  checkpoint: StepCheckpoint,
  announce?: EventInput,
): Promise<void> {
  if (!announce) return writeCheckpoint(engine.db, step, checkpoint);
  await transactionWithEvents(engine, async (tx, events) => {
    await writeCheckpoint(tx, step, checkpoint);
    await events.publish(announce);
  });
}

async function writeCheckpoint(db: Executor, step: LeaseToken, checkpoint: StepCheckpoint): Promise<void> {
  const s = schema.runSteps;
  const [saved] = await db
    .update(s)
    .set({ checkpoint })
    .where(and(heldBy(step), eq(s.status, "running")))
    .returning({ id: s.id });
  if (saved) return;
  const [held] = await db.select({ id: s.id }).from(s).where(heldBy(step));
  if (!held) throw new StepLeaseLost(step.id);
}
