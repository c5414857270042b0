// Conversations as lists and detail views show them: with their agents, message count and creator.

import { type Executor, schema } from "@crewdeck/db";
import type { AgentRefDto } from "@crewdeck/engine";
import { asc, eq, inArray } from "drizzle-orm";
import { iso } from "../../lib/schemas";

type ConversationRow = typeof schema.conversations.$inferSelect;

export type ConversationDto = {
  id: string;
  projectId: string | null;
  title: string;
  type: ConversationRow["type"];
  status: ConversationRow["status"];
  taskId: string | null;
  issueId: string | null;
  agents: AgentRefDto[];
  messageCount: number;
  lastMessageAt: string;
  createdAt: string;
  updatedAt: string;
  createdBy: { id: string; name: string } | null;
};

/** The agents of each conversation, in their pipeline order. */
export async function agentsOfConversations(
  db: Executor,
  conversationIds: string[],
): Promise<Map<string, AgentRefDto[]>> {
  const byConversation = new Map<string, AgentRefDto[]>();
  if (conversationIds.length === 0) return byConversation;
  const rows = await db
    .select({
      conversationId: schema.conversationAgents.conversationId,
      id: schema.agents.id,
      name: schema.agents.name,
      role: schema.agents.role,
    })
    .from(schema.conversationAgents)
    .innerJoin(schema.agents, eq(schema.agents.id, schema.conversationAgents.agentId))
    .where(inArray(schema.conversationAgents.conversationId, conversationIds))
    .orderBy(asc(schema.agents.position), asc(schema.agents.createdAt));
  for (const { conversationId, ...agent } of rows) {
    const list = byConversation.get(conversationId) ?? [];
    list.push(agent);
    byConversation.set(conversationId, list);
  }
  return byConversation;
}

/**
 * DTOs for a page of conversations, with one grouped query per figure rather than one per row. The message
 * count is the row's own (kept by triggers), so a conversation of a million messages is not counted on read.
 */
export async function toConversationDtos(db: Executor, rows: ConversationRow[]): Promise<ConversationDto[]> {
  const ids = rows.map((r) => r.id);
  const creatorIds = [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))];
  const [agents, creators] = await Promise.all([
    agentsOfConversations(db, ids),
    creatorIds.length === 0
      ? []
      : db
          .select({ id: schema.users.id, name: schema.users.name })
          .from(schema.users)
          .where(inArray(schema.users.id, creatorIds)),
  ]);
  const creatorOf = new Map(creators.map((u) => [u.id, u]));
  return rows.map((r) => ({
    id: r.id,
    projectId: r.projectId,
    title: r.title,
    type: r.type,
    status: r.status,
    taskId: r.taskId,
    issueId: r.issueId,
    agents: agents.get(r.id) ?? [],
    messageCount: r.messageCount,
    lastMessageAt: iso(r.lastMessageAt),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    createdBy: (r.createdById && creatorOf.get(r.createdById)) || null,
  }));
}

export async function toConversationDto(db: Executor, row: ConversationRow): Promise<ConversationDto> {
  const [dto] = await toConversationDtos(db, [row]);
  if (!dto) throw new Error("conversation DTO missing");
  return dto;
}
