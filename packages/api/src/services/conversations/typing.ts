// "Someone is typing" (§4 `agent_typing`, sent by a person): nothing is stored but the event itself.

import type { schema } from "@crewdeck/db";
import { conversationScope } from "@crewdeck/engine";
import type { ApiDeps } from "../../context";

type ConversationRow = typeof schema.conversations.$inferSelect;

export async function publishTyping(
  { engine }: Pick<ApiDeps, "engine">,
  conversation: ConversationRow,
  userId: string,
  isTyping: boolean,
): Promise<void> {
  // Nobody can be told while the bus is cut off (every stream reads from it), and a typing indicator is
  // worth nothing later: it is dropped rather than holding the request until the bus is back.
  if (engine.bus.connected?.() === false) return;
  await engine.bus.publish({
    type: "agent_typing",
    scope: conversationScope(conversation),
    payload: { conversationId: conversation.id, agentId: null, userId, isTyping },
  });
}
