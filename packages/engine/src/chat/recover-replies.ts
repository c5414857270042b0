// Start-up recovery of chat replies, as resume-runs.ts recovers runs: a reply the stopped process was
// streaming is marked failed with the text it had streamed, and the person's message is answered again by
// that agent, once (a retry cut off in turn is only marked).
import { schema } from "@crewdeck/db";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { publishMessage } from "../conversations/message-events";
import type { Engine } from "../engine";
import { transactionWithEvents } from "../events/outbox";
import { conversationScope } from "../events/scopes";
import { setAgentWorking } from "../runs/run-events";
import { planReplies, startReplies } from "./reply";

type MessageRow = typeof schema.messages.$inferSelect;

export const INTERRUPTED_REPLY_TEXT = "The reply was cut off when the server stopped.";

/**
 * The text streamed into a message before the process stopped: its stored `message_delta` events, or, on a
 * bus that keeps them elsewhere (Redis), the text checkpointed into the row while it streamed.
 */
async function streamedText(engine: Engine, message: MessageRow): Promise<string> {
  const e = schema.events;
  const rows = await engine.db
    .select({ payload: e.payload })
    .from(e)
    .where(
      and(
        eq(e.conversationId, message.conversationId),
        eq(e.type, "message_delta"),
        sql`json_extract(${e.payload}, '$.messageId') = ${message.id}`,
      ),
    )
    .orderBy(asc(e.id));
  const fromEvents = rows.map((row) => (row.payload as { delta?: string }).delta ?? "").join("");
  return fromEvents.length >= message.content.length ? fromEvents : message.content;
}

/**
 * Marks the chat replies left `streaming` by a stopped process as failed (metadata `interrupted`), and
 * answers each person's message again. Call at start-up, after abandoned reservations are closed (the cut-off
 * calls are charged at their estimate there) and before serving. Only one process may run it.
 */
export async function recoverChatReplies(engine: Engine): Promise<{ interrupted: number; retried: number }> {
  const m = schema.messages;
  const cutOff = await engine.db
    .select()
    .from(m)
    .where(and(eq(m.status, "streaming"), eq(m.authorType, "agent"), isNull(m.runId)))
    .orderBy(asc(m.createdAt), asc(m.id));
  let interrupted = 0;
  let retried = 0;
  for (const message of cutOff) {
    const conversation = await markReplyCutOff(engine, message);
    if (conversation === false) continue;
    interrupted += 1;
    if (!conversation) continue;
    if (await answerAgain(engine, conversation, message)) retried += 1;
  }
  return { interrupted, retried };
}

/**
 * Marks one reply a stopped process left `streaming` as cut off, with the text it had streamed, and says so
 * to the conversation. Returns its conversation (null if gone), or false when it was not streaming any more.
 */
export async function markReplyCutOff(
  engine: Engine,
  message: MessageRow,
): Promise<typeof schema.conversations.$inferSelect | null | false> {
  const m = schema.messages;
  const text = await streamedText(engine, message);
  // The cut-off and its announcement commit together: of two processes recovering, only the one that
  // marked it says so, and a crash right after the mark cannot leave the reply shown as still streaming.
  const conversation = await transactionWithEvents(engine, async (tx, events) => {
    const [marked] = await tx
      .update(m)
      .set({
        status: "error",
        content: text ? `${text}\n\n(${INTERRUPTED_REPLY_TEXT})` : INTERRUPTED_REPLY_TEXT,
        metadata: { ...message.metadata, interrupted: true },
      })
      .where(and(eq(m.id, message.id), eq(m.status, "streaming")))
      .returning({ id: m.id });
    if (!marked) return false;
    const found = await tx.query.conversations.findFirst({
      where: eq(schema.conversations.id, message.conversationId),
    });
    if (!found) return null;
    await publishMessage({ db: tx, bus: events }, conversationScope(found), message.id);
    return found;
  });
  if (!conversation) return conversation;
  if (message.agentId) await setAgentWorking(engine, message.agentId, false, null);
  return conversation;
}

async function answerAgain(
  engine: Engine,
  conversation: typeof schema.conversations.$inferSelect,
  cutOff: MessageRow,
): Promise<boolean> {
  if (cutOff.metadata.retryOf || !cutOff.replyToId || !cutOff.agentId) return false;
  const asked = await engine.db.query.messages.findFirst({
    columns: { userId: true },
    where: eq(schema.messages.id, cutOff.replyToId),
  });
  if (!asked?.userId) return false;
  try {
    const plan = await planReplies(engine, {
      conversation,
      userId: asked.userId,
      pending: null,
      agentIds: [cutOff.agentId],
    });
    if (plan.replies.length === 0) return false;
    void startReplies(
      engine,
      { ...plan, replies: plan.replies.map((reply) => ({ ...reply, retryOf: cutOff.id })) },
      cutOff.replyToId,
    );
    return true;
  } catch (error) {
    // A limit reached or a provider gone: the reply stays marked interrupted for the person to retry.
    engine.logger.error(`The reply ${cutOff.id} cut off by a restart could not be answered again`, error);
    return false;
  }
}
