// Conversations: listed across the caller's projects and their own unassigned ones, created with their
// agents and first message in one transaction, renamed, paused, completed and deleted.
import { type Executor, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import { conversationScope, publishMessage, transactionWithEvents } from "@crewdeck/engine";
import { and, count, desc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict, invalid, notFound } from "../../errors";
import { changedFields } from "../../lib/changes";
import { roleOver } from "../access/scoped-resources";
import { sweepOrphanedFiles } from "../files/storage";
import {
  assertMayCreateOutsideProjects,
  assertRole,
  inCredentialReach,
  membershipsOf,
} from "../projects/access";
import { toConversationDto, toConversationDtos } from "./conversation-dto";
import { MESSAGE_PAGE_DEFAULT } from "./limits";
import { announceStoredMessage, insertUserMessage, listMessagePage, type MessageCursor } from "./messages";
import { type ConversationReferences, conversationReferenceErrors } from "./references";

type ConversationRow = typeof schema.conversations.$inferSelect;
type ConversationType = (typeof schema.CONVERSATION_TYPES)[number];
type ConversationStatus = (typeof schema.CONVERSATION_STATUSES)[number];

/** `projectId: "unassigned"` asks for the caller's conversations outside any project. */
export const UNASSIGNED = "unassigned";

export type ConversationFilters = {
  type?: ConversationType | undefined;
  status?: ConversationStatus | undefined;
};

const c = schema.conversations;

const ownUnassigned = (userId: string) =>
  inCredentialReach(null) ? and(isNull(c.projectId), eq(c.createdById, userId)) : sql`0`;

async function pageOfConversations(
  db: Executor,
  scope: SQL | undefined,
  filters: ConversationFilters,
  page: PageRequest,
) {
  const conditions = [scope];
  if (filters.type) conditions.push(eq(c.type, filters.type));
  if (filters.status) conditions.push(eq(c.status, filters.status));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(c)
      .where(where)
      .orderBy(desc(c.lastMessageAt), desc(c.id))
      .limit(page.limit)
      .offset(pageOffset(page)),
    db.select({ n: count() }).from(c).where(where),
  ]);
  return toPage(await toConversationDtos(db, rows), total?.n ?? 0, page);
}

/** The caller's conversations: those of every project they belong to, and their own unassigned ones. */
export async function listConversations(
  { db }: ApiDeps,
  userId: string,
  filters: ConversationFilters & { projectId?: string | undefined },
  page: PageRequest,
) {
  const memberOf = db
    .select({ id: schema.projectMembers.projectId })
    .from(schema.projectMembers)
    .where(membershipsOf(userId));
  const visible = or(inArray(c.projectId, memberOf), ownUnassigned(userId));
  const scope =
    filters.projectId === UNASSIGNED
      ? ownUnassigned(userId)
      : filters.projectId
        ? and(eq(c.projectId, filters.projectId), visible)
        : visible;
  return pageOfConversations(db, scope, filters, page);
}

/** A project's conversations; the caller's membership is checked by the procedure. */
export async function listProjectConversations(
  { db }: ApiDeps,
  projectId: string,
  filters: ConversationFilters,
  page: PageRequest,
) {
  return pageOfConversations(db, eq(c.projectId, projectId), filters, page);
}

/** For the project-scoped aliases: a conversation that is not in the named project does not exist there. */
export async function conversationInProject(db: Executor, projectId: string, conversationId: string) {
  const row = await db.query.conversations.findFirst({
    where: and(eq(c.id, conversationId), eq(c.projectId, projectId)),
  });
  if (!row) throw notFound("Conversation");
  return row;
}

export type CreateConversationInput = ConversationReferences & {
  title: string;
  projectId?: string | null | undefined;
  type?: ConversationType | undefined;
  initialMessage?: string | undefined;
};

export async function createConversation(deps: ApiDeps, userId: string, input: CreateConversationInput) {
  const projectId = input.projectId ?? null;
  if (projectId === null) assertMayCreateOutsideProjects();
  // Same rule as every project resource: outsiders learn nothing (404), readers may not write (403).
  assertRole(await roleOver(deps.db, { projectId, createdById: userId }, userId), "maintainer", "Project");
  const agentIds = input.agentIds ?? [];
  // The first message's event is committed with it (the outbox) and goes out after the commit.
  const { id, messageId } = await transactionWithEvents(deps.engine, async (tx, events) => {
    const errors = await conversationReferenceErrors(tx, projectId, userId, input);
    if (errors.length > 0) throw invalid("The conversation refers to things it cannot use", errors);
    const [row] = await tx
      .insert(c)
      .values({
        projectId,
        createdById: userId,
        title: input.title,
        type: input.type ?? (input.taskId ? "task" : input.issueId ? "issue" : "general"),
        taskId: input.taskId ?? null,
        issueId: input.issueId ?? null,
      })
      .returning();
    if (!row) throw new Error("conversation insert returned nothing");
    if (agentIds.length > 0) {
      await tx
        .insert(schema.conversationAgents)
        .values(agentIds.map((agentId) => ({ conversationId: row.id, agentId })));
    }
    const messageId =
      input.initialMessage === undefined
        ? null
        : await insertUserMessage(tx, row, userId, { content: input.initialMessage });
    if (messageId) await publishMessage({ db: tx, bus: events }, conversationScope(row), messageId);
    return { id: row.id, messageId };
  });
  const row = await reload(deps.db, id);
  if (messageId) await announceStoredMessage(deps, row, userId, messageId);
  return getConversation(deps, row, {});
}

async function reload(db: Executor, conversationId: string): Promise<ConversationRow> {
  const row = await db.query.conversations.findFirst({ where: eq(c.id, conversationId) });
  if (!row) throw notFound("Conversation");
  return row;
}

/** The conversation with its agents and one page of messages, newest first. */
export async function getConversation({ db }: ApiDeps, row: ConversationRow, cursor: Partial<MessageCursor>) {
  const [dto, page] = await Promise.all([
    toConversationDto(db, row),
    listMessagePage(db, row.id, { before: cursor.before, limit: cursor.limit ?? MESSAGE_PAGE_DEFAULT }),
  ]);
  return { ...dto, messages: page.items, hasMore: page.hasMore };
}

export async function updateConversation(
  { db }: ApiDeps,
  row: ConversationRow,
  changes: { title?: string | undefined; status?: ConversationStatus | undefined },
) {
  const values = changedFields(changes);
  if (values) await db.update(c).set(values).where(eq(c.id, row.id));
  return toConversationDto(db, await reload(db, row.id));
}

/** Pausing stops agents answering in it (a reply under way stops at once); people may still talk. A completed conversation is reopened by PATCH. */
export async function setConversationPaused({ db, engine }: ApiDeps, row: ConversationRow, paused: boolean) {
  const [updated] = await db
    .update(c)
    .set({ status: paused ? "paused" : "active" })
    .where(and(eq(c.id, row.id), inArray(c.status, ["active", "paused"])))
    .returning();
  if (!updated) {
    throw conflict(
      `The conversation is completed; it cannot be ${paused ? "paused" : "resumed"} (PATCH status: active reopens it)`,
    );
  }
  // Replies being streamed stop now, with what they said so far kept; a run has its own pause and cancel.
  if (paused) engine.calls.abort({ conversationId: row.id, runId: null }, "paused");
  return toConversationDto(db, updated);
}

export async function deleteConversation({ db, settings }: ApiDeps, row: ConversationRow) {
  // Messages, their attachments, the agent list and the files attached here cascade from the row.
  await db.delete(c).where(eq(c.id, row.id));
  await sweepOrphanedFiles(db, settings);
}
