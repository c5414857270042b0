// Live events (§4) as a tRPC subscription over SSE, resumable with `lastEventId`. REST clients get the
// same stream from the raw `GET /api/v1/events` route; subscriptions are not REST operations.
import type { AnyBusEvent } from "@crewdeck/engine";
import { tracked } from "@trpc/server";
import { openEventStream } from "../../services/events/stream";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import { zEventStreamInput } from "./types";

/** Each event under its id, which the client sends back as `lastEventId` when it reconnects. */
async function* trackedEvents(events: AsyncIterable<AnyBusEvent>) {
  for await (const event of events) yield tracked(event.id, event);
}

export const eventsRouter = createTRPCRouter({
  // A project key's stream carries its project's events alone (decided where the stream opens).
  subscribe: authedProcedure
    .meta({ projectKey: "narrowed" })
    .input(zEventStreamInput)
    .subscription(async ({ ctx, input, signal }) => {
      // Access and the caller's stream quota are checked and the subscription registered before the stream
      // opens: a refusal is the stream's error event, and nothing published after the client sees it start
      // is missed. A credential that dies while it is open ends it with the error event too.
      const events = await openEventStream(ctx, input, signal ?? new AbortController().signal);
      return trackedEvents(events);
    }),
});
