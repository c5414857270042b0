// The unified view of a task (§2.7): every conversation about it merged into one timeline, each message
// keeping the agent that wrote it.

import { type Executor, schema } from "@crewdeck/db";
import { type AgentRefDto, selectMessages, toMessageDtos } from "@crewdeck/engine";
import { asc, eq, inArray, or } from "drizzle-orm";
import { isoOrNull } from "../../lib/schemas";
import { agentsOfConversations } from "./conversation-dto";

type TaskRow = typeof schema.tasks.$inferSelect;

/** The task's conversations are those linked from either side: `conversations.taskId` and `tasks.conversationId`. */
export async function getTaskConversation(db: Executor, task: TaskRow) {
  const c = schema.conversations;
  const linked = task.conversationId
    ? or(eq(c.taskId, task.id), eq(c.id, task.conversationId))
    : eq(c.taskId, task.id);
  const conversations = await db
    .select({ id: c.id, title: c.title, type: c.type, status: c.status })
    .from(c)
    .where(linked)
    .orderBy(asc(c.createdAt), asc(c.id));
  const ids = conversations.map((conv) => conv.id);
  const m = schema.messages;
  const [rows, members] = await Promise.all([
    ids.length === 0
      ? []
      : selectMessages(db).where(inArray(m.conversationId, ids)).orderBy(asc(m.createdAt), asc(m.id)),
    agentsOfConversations(db, ids),
  ]);
  const messages = await toMessageDtos(db, rows);
  // Agents that spoke first, in order of their first word, then those added but silent so far.
  const agents = new Map<string, AgentRefDto>();
  for (const message of messages) if (message.agent) agents.set(message.agent.id, message.agent);
  for (const list of members.values())
    for (const agent of list) if (!agents.has(agent.id)) agents.set(agent.id, agent);
  const last = rows.at(-1);
  return {
    task: { id: task.id, title: task.title, status: task.status },
    conversations,
    messages,
    metadata: {
      agents: [...agents.values()],
      totalMessages: messages.length,
      totalConversations: conversations.length,
      lastUpdated: isoOrNull(last?.message.createdAt),
    },
  };
}
