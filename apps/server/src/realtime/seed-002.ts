// Our live events (API.md §4) as the frames seed 002 ("WebSocket Events") gives its plain WebSocket
// client at /ws: `{ "event": "task:status_updated" | "task:completed" | "credits:updated", "data": … }`,
// camelCase as that seed writes it. Each frame also carries the event's `id`, for `?lastEventId=`.
import type { AnyBusEvent } from "@crewdeck/engine";

export type Seed002Frame = { event: string; data: unknown; id?: string };

/** Seed 002's `status`: "running" for work under way, else our task status as it is. */
function seed002Status(status: string): string {
  return status === "in_progress" || status === "testing" ? "running" : status;
}

/** The frame for `event`, or null when seed 002 has none for it. */
export function toSeed002(event: AnyBusEvent): Seed002Frame | null {
  switch (event.type) {
    case "task_progress": {
      const { taskId, status, progress } = event.payload;
      return {
        event: "task:status_updated",
        data: { taskId, status: seed002Status(status), progress: progress.percentage },
        id: event.id,
      };
    }
    case "task_completed": {
      const { taskId, status, usage, result } = event.payload;
      return {
        event: "task:completed",
        data: {
          taskId,
          status,
          // Credits are USD of the daily spend cap (see credits:updated), so a task uses its cost.
          creditsUsed: usage.totalCostUsd,
          result: { type: result.type, pullRequestUrl: result.pullRequestUrl ?? null },
        },
        id: event.id,
      };
    }
    default:
      return null;
  }
}

/** Whether the person's spend may have changed with `event`: a task finished, or an agent's reply is whole. */
export function spendMayHaveChanged(event: AnyBusEvent): boolean {
  if (event.type === "task_completed") return true;
  return (
    event.type === "message" && event.payload.authorType === "agent" && event.payload.status !== "streaming"
  );
}

/** `credits:updated`: what is left of the person's daily spend cap, and by how much it moved. */
export function creditsFrame(userId: string, credits: number | null, previous: number | null): Seed002Frame {
  const change = credits !== null && previous !== null ? Math.round((credits - previous) * 1e6) / 1e6 : null;
  return { event: "credits:updated", data: { userId, credits, change } };
}
