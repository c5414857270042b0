// Who takes part in a conversation: agents are added and removed after it starts, and a person posting is
// told who will answer, or why nobody will, instead of waiting on a reply that never comes.
import { type Executor, schema } from "@crewdeck/db";
import { ACTIVE_RUN_STATUSES } from "@crewdeck/domain";
import { and, eq, inArray } from "drizzle-orm";
import { invalid, notFound } from "../../errors";
import { agentsOfConversations, toConversationDto } from "./conversation-dto";
import { conversationReferenceErrors } from "./references";

type ConversationRow = typeof schema.conversations.$inferSelect;
type AgentRef = { id: string; name: string; role: schema.AgentRole };

/** Adds agents of the conversation's project (any crew the caller maintains for an unassigned one). */
export async function addConversationAgents(
  db: Executor,
  conversation: ConversationRow,
  userId: string,
  agentIds: string[],
) {
  const errors = await conversationReferenceErrors(db, conversation.projectId, userId, { agentIds });
  if (errors.length > 0) throw invalid("These agents cannot join the conversation", errors);
  await db
    .insert(schema.conversationAgents)
    .values(agentIds.map((agentId) => ({ conversationId: conversation.id, agentId })))
    .onConflictDoNothing();
  return toConversationDto(db, conversation);
}

export async function removeConversationAgent(db: Executor, conversation: ConversationRow, agentId: string) {
  const removed = await db
    .delete(schema.conversationAgents)
    .where(
      and(
        eq(schema.conversationAgents.conversationId, conversation.id),
        eq(schema.conversationAgents.agentId, agentId),
      ),
    )
    .returning({ agentId: schema.conversationAgents.agentId });
  if (removed.length === 0) throw notFound("Agent in this conversation");
  return toConversationDto(db, conversation);
}

export type ReplyNotice = { agents: AgentRef[]; reason: string | null };

/**
 * What the person is told after posting: the agents that will answer, or (with none) the reason, in the
 * order the engine decides it (a paused conversation, a run under way, no agents, every one paused).
 */
export async function replyNotice(
  db: Executor,
  conversation: ConversationRow,
  answering: readonly { id: string; name: string; role: schema.AgentRole }[],
  addressed: readonly string[],
): Promise<ReplyNotice> {
  const agents = answering.map(({ id, name, role }) => ({ id, name, role }));
  if (agents.length > 0) return { agents, reason: null };
  return { agents, reason: await silenceReason(db, conversation, addressed) };
}

async function silenceReason(db: Executor, conversation: ConversationRow, addressed: readonly string[]) {
  if (conversation.status === "paused")
    return "The conversation is paused: resume it to let its agents answer.";
  if (conversation.status !== "active") return "The conversation is completed: reopen it to get answers.";
  if (conversation.taskId) {
    const run = await db.query.runs.findFirst({
      columns: { id: true },
      where: and(
        eq(schema.runs.taskId, conversation.taskId),
        inArray(schema.runs.status, ACTIVE_RUN_STATUSES),
      ),
    });
    if (run) return "The task's run is under way: its agents read this at their next step.";
  }
  const members = (await agentsOfConversations(db, [conversation.id])).get(conversation.id) ?? [];
  if (members.length === 0) return "No agents are in this conversation: add one so someone can answer.";
  const asked = addressed.length > 0 ? members.filter((a) => addressed.includes(a.id)) : members;
  const names = asked.map((a) => a.name).join(", ");
  return `Nobody will answer: ${names || "the agents asked"} ${asked.length === 1 ? "is" : "are"} paused or switched off.`;
}
