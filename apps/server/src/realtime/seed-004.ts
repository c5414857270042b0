// Our live events (API.md §4) in the shapes seed 004 ("4. Real-time Communication (Socket.io)", 4.2
// "Server Emitted Events", and 5.2 "AgentTask") gives its client, and which of its rooms each goes to:
// `agent_<id>` for one agent's state and thought stream, `user_<id>` for the person's tasks and pipelines.
import type { AnyBusEvent } from "@crewdeck/engine";

export type Seed004Event = { name: string; data: unknown; rooms: string[] };

export type Seed004Lookups = { taskCreatedAt(taskId: string): Promise<string | null> };

export const agentRoom = (agentId: string) => `agent_${agentId}`;
export const userRoom = (userId: string) => `user_${userId}`;

/** A room name as the seed writes it, or null for anything else. */
export function parseRoom(room: unknown): { kind: "agent" | "user"; id: string } | null {
  if (typeof room !== "string") return null;
  const match = /^(agent|user)_(.{1,100})$/.exec(room);
  return match ? { kind: match[1] as "agent" | "user", id: match[2] as string } : null;
}

/** 5.2 AgentTask's `status`: queued | processing | completed | failed. */
function agentTaskStatus(status: string): "queued" | "processing" | "completed" | "failed" {
  if (status === "backlog" || status === "pending") return "queued";
  if (status === "completed") return "completed";
  if (status === "failed" || status === "cancelled") return "failed";
  return "processing";
}

/** Seed 004's form of `event` and the rooms of `userId`'s connection it goes to; null when it has none. */
export async function toSeed004(
  event: AnyBusEvent,
  userId: string,
  lookups: Seed004Lookups,
): Promise<Seed004Event | null> {
  const taskUpdate = async (taskId: string, status: string, progress: number) => ({
    name: "task_update",
    data: {
      id: taskId,
      status: agentTaskStatus(status),
      progress,
      created_at: await lookups.taskCreatedAt(taskId),
    },
    rooms: [userRoom(userId)],
  });
  switch (event.type) {
    case "agent_status": {
      const { agentId, status } = event.payload;
      // "active/stopped": an agent at work is active; idle, paused or failed, it is not running.
      return {
        name: "agent_status",
        data: { agent_id: agentId, status: status === "working" ? "active" : "stopped" },
        rooms: [agentRoom(agentId)],
      };
    }
    case "agent_action": {
      const { agentId, type, content } = event.payload;
      return {
        name: "agent_action",
        // "thought/action": a tool call and its result are the agent's actions.
        data: { id: event.id, type: type === "thought" ? "thought" : "action", content },
        rooms: [agentRoom(agentId)],
      };
    }
    case "pipeline_update": {
      const { taskId, runId, runStatus, steps, currentStep } = event.payload;
      const agentRooms = steps.flatMap((s) => (s.agent.id ? [agentRoom(s.agent.id)] : []));
      return {
        name: "pipeline_update",
        data: {
          process_id: runId,
          pipeline: {
            task_id: taskId,
            status: runStatus,
            current_step: currentStep,
            steps: steps.map((s) => ({
              agent_id: s.agent.id,
              name: s.agent.name,
              role: s.agent.role,
              status: s.status,
            })),
          },
        },
        rooms: [userRoom(userId), ...new Set(agentRooms)],
      };
    }
    case "task_progress":
      return taskUpdate(event.payload.taskId, event.payload.status, event.payload.progress.percentage);
    case "task_completed":
      return taskUpdate(event.payload.taskId, event.payload.status, 100);
    default:
      return null;
  }
}
