// Reading a conversation's messages page by page, and posting a person's message into it.

import { type Executor, preparedOn, schema } from "@crewdeck/db";
import {
  cancelReplies,
  conversationScope,
  type MessageDto,
  planReplies,
  publishMessage,
  selectMessages,
  stageEvent,
  startReplies,
  toMessageDtos,
  transactionWithEvents,
} from "@crewdeck/engine";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { ApiDeps } from "../../context";
import { asApiError, conflict, type FieldError, invalid } from "../../errors";
import { type ReplyNotice, replyNotice } from "./agents";

type ConversationRow = typeof schema.conversations.$inferSelect;

export type MessageCursor = { before?: string | undefined; limit: number };
export type MessagePage = { items: MessageDto[]; hasMore: boolean };

const m = schema.messages;
const conversationOf = eq(m.conversationId, sql.placeholder("conversationId"));
const newestFirst = [desc(m.createdAt), desc(m.id)];

/** Reading pages is what clients do most: each of its statements is built once per executor. */
const cursorMessage = preparedOn((db) =>
  db
    .select({ id: m.id })
    .from(m)
    .where(and(eq(m.id, sql.placeholder("before")), conversationOf))
    .limit(1)
    .prepare(),
);
const newestMessages = preparedOn((db) =>
  selectMessages(db)
    .where(conversationOf)
    .orderBy(...newestFirst)
    .limit(sql.placeholder("limit"))
    .prepare(),
);
const messagesBefore = preparedOn((db) => {
  // The stored values, not a round trip through Date, so the comparison is exact.
  const at = alias(m, "cursor");
  const position = db
    .select({ createdAt: at.createdAt, id: at.id })
    .from(at)
    .where(eq(at.id, sql.placeholder("before")));
  return selectMessages(db)
    .where(and(conversationOf, sql`(${m.createdAt}, ${m.id}) < ${position}`))
    .orderBy(...newestFirst)
    .limit(sql.placeholder("limit"))
    .prepare();
});

/**
 * One page, newest first. Pages are cut by (createdAt, id) of the cursor message rather than by offset,
 * so messages arriving while a client walks back never shift or repeat what it has not seen yet.
 */
export async function listMessagePage(
  db: Executor,
  conversationId: string,
  { before, limit }: MessageCursor,
): Promise<MessagePage> {
  if (before !== undefined) {
    const cursor = await cursorMessage(db).get({ before, conversationId });
    if (!cursor) {
      throw invalid("The cursor is not a message of this conversation", [
        { field: "before", message: "Not a message of this conversation" },
      ]);
    }
  }
  const rows =
    before === undefined
      ? await newestMessages(db).all({ conversationId, limit: limit + 1 })
      : await messagesBefore(db).all({ conversationId, before, limit: limit + 1 });
  const hasMore = rows.length > limit;
  return { items: await toMessageDtos(db, rows.slice(0, limit)), hasMore };
}

export type PostMessageInput = {
  content: string;
  replyTo?: string | null | undefined;
  attachmentIds?: string[] | undefined;
  agentIds?: string[] | undefined;
};

/** Field errors for ids in `wanted` that `found` does not hold, named by their place in the list. */
const missing = (field: string, wanted: string[], found: Iterable<string>, message: string): FieldError[] => {
  const known = new Set(found);
  return wanted.flatMap((id, i) => (known.has(id) ? [] : [{ field: `${field}.${i}`, message }]));
};

async function checkMessageReferences(
  tx: Executor,
  conversationId: string,
  userId: string,
  input: PostMessageInput,
): Promise<void> {
  const errors: FieldError[] = [];
  if (input.replyTo) {
    const target = await tx.query.messages.findFirst({
      columns: { id: true },
      where: and(eq(schema.messages.id, input.replyTo), eq(schema.messages.conversationId, conversationId)),
    });
    if (!target) errors.push({ field: "replyTo", message: "Not a message of this conversation" });
  }
  const fileIds = input.attachmentIds ?? [];
  if (fileIds.length > 0) {
    const files = await tx
      .select({ id: schema.files.id })
      .from(schema.files)
      .where(and(inArray(schema.files.id, fileIds), eq(schema.files.uploaderId, userId)));
    errors.push(
      ...missing(
        "attachmentIds",
        fileIds,
        files.map((f) => f.id),
        "Not a file you uploaded",
      ),
    );
  }
  const agentIds = input.agentIds ?? [];
  if (agentIds.length > 0) {
    const agents = await tx
      .select({ id: schema.conversationAgents.agentId })
      .from(schema.conversationAgents)
      .where(
        and(
          eq(schema.conversationAgents.conversationId, conversationId),
          inArray(schema.conversationAgents.agentId, agentIds),
        ),
      );
    errors.push(
      ...missing(
        "agentIds",
        agentIds,
        agents.map((a) => a.id),
        "Not an agent of this conversation",
      ),
    );
  }
  if (errors.length > 0) throw invalid("The message refers to things it cannot use", errors);
}

/**
 * Stores a person's message with its attachments, in one transaction with the conversation's activity
 * time. Agents answer later and asynchronously: the addressed ones are recorded in the metadata for them.
 */
export async function insertUserMessage(
  tx: Executor,
  conversation: Pick<ConversationRow, "id" | "projectId">,
  userId: string,
  input: PostMessageInput,
): Promise<string> {
  await checkMessageReferences(tx, conversation.id, userId, input);
  const [message] = await tx
    .insert(schema.messages)
    .values({
      conversationId: conversation.id,
      authorType: "user",
      userId,
      content: input.content,
      replyToId: input.replyTo ?? null,
      metadata: input.agentIds && input.agentIds.length > 0 ? { agentIds: input.agentIds } : {},
    })
    .returning();
  if (!message) throw new Error("message insert returned nothing");
  const fileIds = input.attachmentIds ?? [];
  if (fileIds.length > 0) {
    await tx
      .insert(schema.messageAttachments)
      .values(fileIds.map((fileId) => ({ messageId: message.id, fileId })));
    // A file joins the first conversation it is attached to, so its project's members may download it.
    await tx
      .update(schema.files)
      .set({
        conversationId: sql`coalesce(${schema.files.conversationId}, ${conversation.id})`,
        projectId: sql`coalesce(${schema.files.projectId}, ${conversation.projectId})`,
      })
      .where(inArray(schema.files.id, fileIds));
  }
  const c = schema.conversations;
  await tx
    .update(c)
    .set({ lastMessageAt: sql`max(${c.lastMessageAt}, ${message.createdAt.getTime()})` })
    .where(eq(c.id, conversation.id));
  return message.id;
}

/**
 * Stores the message, then tells the conversation's live streams (§4 `message`) once it is committed, and
 * lets the addressed agents (or the conversation's) answer asynchronously. Who answers is decided, and each
 * reply's worst-case cost held, before anything is stored: with no model provider (502) or over a blocking
 * limit (402) the post is refused whole rather than leaving a question nobody will answer.
 */
export async function postMessage(
  { db, engine }: ApiDeps,
  conversation: ConversationRow,
  user: { id: string; name: string },
  input: PostMessageInput,
): Promise<MessageDto & { answering: ReplyNotice }> {
  // Bad references are the caller's mistake, so they are named before any provider or budget refusal.
  await checkMessageReferences(db, conversation.id, user.id, input);
  const plan = await planReplies(engine, {
    conversation,
    userId: user.id,
    pending: { userName: user.name, content: input.content, attachmentIds: input.attachmentIds },
    agentIds: input.agentIds ?? [],
  });
  let dto: MessageDto | null;
  try {
    // The message and its event are committed together (the outbox); the event goes out after the commit.
    dto = await transactionWithEvents(engine, async (tx, events) => {
      const current = await tx.query.conversations.findFirst({
        columns: { status: true },
        where: eq(schema.conversations.id, conversation.id),
      });
      if (current?.status === "completed") {
        throw conflict("The conversation is completed; reopen it (PATCH status: active) to post again");
      }
      const messageId = await insertUserMessage(tx, conversation, user.id, input);
      return publishMessage({ db: tx, bus: events }, conversationScope(conversation), messageId);
    });
  } catch (error) {
    await cancelReplies(engine, plan);
    throw error;
  }
  if (!dto) throw new Error("posted message vanished");
  void startReplies(engine, plan, dto.id);
  const answering = await replyNotice(
    db,
    conversation,
    plan.replies.map((r) => r.agent),
    input.agentIds ?? [],
  );
  return { ...dto, answering };
}

/**
 * A message stored with something else (a conversation's first message, whose event was committed with
 * it): the conversation's agents are asked. The creation has already succeeded, so a missing provider or a
 * blocking limit is reported to the conversation's streams as an `error` event rather than refusing it.
 */
export async function announceStoredMessage(
  { engine }: ApiDeps,
  conversation: ConversationRow,
  userId: string,
  messageId: string,
): Promise<void> {
  const scope = conversationScope(conversation);
  try {
    const plan = await planReplies(engine, { conversation, userId, pending: null, agentIds: [] });
    void startReplies(engine, plan, messageId);
  } catch (error) {
    const known = asApiError(error);
    if (!known) engine.logger.error(`Asking the agents of conversation ${conversation.id} failed`, error);
    const code = known?.appCode ?? "INTERNAL_ERROR";
    const message = known?.message ?? "The agents could not be asked to answer.";
    // Through the outbox, after the message's own event, and without waiting for a bus that is down.
    await stageEvent(engine, {
      type: "error",
      scope,
      payload: { code, message, details: { messageId } },
    }).catch((publishError) => engine.logger.error("Publishing an error event failed", publishError));
  }
}
