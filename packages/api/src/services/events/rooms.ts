// What a real-time client may subscribe to by name (seed 001's conversations, seed 004's agent and user
// rooms): the same answer the event visibility rules give (a project's members; the person themself),
// asked when the room is joined so a room nobody may see is refused with an error, never joined silently.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { notFound } from "../../errors";
import { loadConversation } from "../access/scoped-resources";
import { credentialProjectId, requireProjectRole } from "../projects/access";

/** Resolves when `userId` may see the conversation's events; RESOURCE_NOT_FOUND otherwise. */
export async function checkConversationRoom(db: ApiDeps["db"], conversationId: string, userId: string) {
  const { row } = await loadConversation(db, conversationId, userId, "viewer");
  const limitedTo = credentialProjectId();
  if (limitedTo && row.projectId !== limitedTo) throw notFound("Conversation");
}

/** Resolves when `userId` may see the agent's events (a member of its project); RESOURCE_NOT_FOUND otherwise. */
export async function checkAgentRoom(db: ApiDeps["db"], agentId: string, userId: string) {
  const agent = await db.query.agents.findFirst({
    where: eq(schema.agents.id, agentId),
    columns: { projectId: true },
  });
  const limitedTo = credentialProjectId();
  if (!agent?.projectId || (limitedTo && agent.projectId !== limitedTo)) throw notFound("Agent");
  await requireProjectRole(db, agent.projectId, userId, "viewer").catch(() => {
    throw notFound("Agent");
  });
}
