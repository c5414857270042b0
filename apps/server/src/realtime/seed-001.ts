// Our live events (API.md §4) in the shapes seed 001 ("WebSocket API", "Server → Client Events") gives
// its Socket.IO client: snake_case fields, a percentage for progress, the budget as a fraction.
import type { AnyBusEvent } from "@crewdeck/engine";

export type Seed001Event = { name: string; data: unknown };

/** Looks up what an event names only by id (the title of an agent's current task). */
export type Seed001Lookups = { taskTitle(taskId: string): Promise<string | null> };

/** Events a client receives only for the conversations it joined (`join_conversation`). */
export const CONVERSATION_EVENTS = new Set<AnyBusEvent["type"]>(["message", "agent_typing"]);

/** Seed 001's form of `event`, or null for an event it has no counterpart for. */
export async function toSeed001(event: AnyBusEvent, lookups: Seed001Lookups): Promise<Seed001Event | null> {
  switch (event.type) {
    // "data: same as REST message object". An agent's reply is sent once it is whole: seed 001's client
    // has no event for the chunks of one still being written (ours are `message_delta`).
    case "message":
      return event.payload.status === "streaming" ? null : { name: "message", data: event.payload };
    case "agent_status": {
      const { agentId, status, currentTask, timestamp } = event.payload;
      const title = currentTask ? await lookups.taskTitle(currentTask) : null;
      return {
        name: "agent_status",
        data: {
          agent_id: agentId,
          status,
          current_task: currentTask ? { id: currentTask, title: title ?? "" } : null,
          timestamp,
        },
      };
    }
    case "agent_typing": {
      const { conversationId, agentId, userId, isTyping } = event.payload;
      return {
        name: "agent_typing",
        data: {
          conversation_id: conversationId,
          agent_id: agentId,
          // A person typing (seed 001's `typing`, sent by another client) names them instead of an agent.
          ...(userId ? { user_id: userId } : {}),
          is_typing: isTyping,
        },
      };
    }
    case "task_progress": {
      const { taskId, status, progress, message } = event.payload;
      return {
        name: "task_progress",
        data: { task_id: taskId, progress: progress.percentage, status, message },
      };
    }
    case "budget_alert": {
      const { level, scope, currentUsd, limitUsd, percentage, message } = event.payload;
      return {
        name: "budget_alert",
        // The seed's percentage is a fraction (0.85); ours is out of 100.
        data: { level, scope, current: currentUsd, limit: limitUsd, percentage: percentage / 100, message },
      };
    }
    case "emergency_pause": {
      const { triggeredBy, reason, timestamp } = event.payload;
      return { name: "emergency_pause", data: { triggered_by: triggeredBy, reason, timestamp } };
    }
    case "error": {
      const { code, message, details } = event.payload;
      return { name: "error", data: { code, message, details: details ?? {} } };
    }
    default:
      return null;
  }
}
