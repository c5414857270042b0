// A person's hold over the agents' replies in a chat: stop the ones being written, or have an agent answer
// the same message again in place of a reply they did not like.
import { schema } from "@crewdeck/db";
import {
  conversationScope,
  planReplies,
  startReplies,
  stopConversationReplies,
  transactionWithEvents,
} from "@crewdeck/engine";
import { and, eq, isNull } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict, notFound } from "../../errors";
import { replyNotice } from "./agents";

type ConversationRow = typeof schema.conversations.$inferSelect;

/**
 * Aborts the replies being streamed in the conversation now, keeping what they wrote, and ends their round:
 * the agents due to answer after them do not start (a later post is answered as usual). Counted from the
 * database, before the stop, so replies a queue's worker streams count too.
 */
export async function stopReplies(
  { db, engine }: Pick<ApiDeps, "db" | "engine">,
  conversation: ConversationRow,
) {
  const m = schema.messages;
  const u = schema.usageRecords;
  const [writing, held] = await Promise.all([
    db.$count(m, and(eq(m.conversationId, conversation.id), eq(m.status, "streaming"), isNull(m.runId))),
    // Every planned reply holds its budget with a pending usage row until it ends, begun or not.
    db.$count(u, and(eq(u.conversationId, conversation.id), eq(u.status, "pending"), isNull(u.runId))),
  ]);
  const aborted = await stopConversationReplies(engine, conversation.id);
  const stopped = Math.max(aborted, writing);
  return { stopped, skipped: Math.max(0, held - stopped) };
}

/**
 * The reply is removed and its agent asked again to answer the message it answered, so the model does not
 * see the answer it is replacing. Refused while the reply is still being written, or when the agent cannot
 * answer now (it left the chat, is paused, the chat is paused): the old reply then stays.
 */
export async function regenerateReply(
  deps: ApiDeps,
  conversation: ConversationRow,
  userId: string,
  messageId: string,
) {
  const { db, engine } = deps;
  const reply = await db.query.messages.findFirst({
    where: and(eq(schema.messages.id, messageId), eq(schema.messages.conversationId, conversation.id)),
  });
  if (reply?.authorType !== "agent" || !reply.agentId || !reply.replyToId) {
    throw notFound("Agent reply");
  }
  if (reply.status === "streaming") throw conflict("The reply is still being written; stop it first");
  const plan = await planReplies(engine, { conversation, userId, pending: null, agentIds: [reply.agentId] });
  if (plan.replies.length === 0) {
    const { reason } = await replyNotice(db, conversation, [], [reply.agentId]);
    throw conflict(reason ?? "The agent cannot answer now");
  }
  // Its usage stays (usage rows keep the cost, not the message); the screen that asked drops it at once,
  // every other screen on the event committed with the delete.
  await transactionWithEvents(engine, async (tx, events) => {
    await tx.delete(schema.messages).where(eq(schema.messages.id, reply.id));
    await events.publish({
      type: "message_deleted",
      scope: conversationScope(conversation),
      payload: { messageId: reply.id, conversationId: conversation.id },
    });
  });
  void startReplies(engine, plan, reply.replyToId);
  return { agents: plan.replies.map(({ agent }) => ({ id: agent.id, name: agent.name, role: agent.role })) };
}
