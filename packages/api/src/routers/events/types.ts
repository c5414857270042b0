// What a client may ask of the live event stream (§4): the tRPC subscription's input, which the raw SSE
// route parses from its query string too (services/events/request.ts).
import { EVENT_TYPES } from "@crewdeck/domain";
import { z } from "zod";
import { zId } from "../../lib/schemas";

/** The ids this stream hands out: a client resumes after the last one it saw. */
export const zEventId = z.string().regex(/^\d{1,15}$/, "Not an event id from this stream");

export const zEventStreamInput = z.object({
  conversationId: zId.optional(),
  projectId: zId.optional(),
  taskId: zId.optional(),
  /** Only these event types; every type when omitted. */
  types: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length).optional(),
  /** Replay the events after this id first (tRPC also fills it from `Last-Event-ID`). */
  lastEventId: zEventId.nullish(),
});
