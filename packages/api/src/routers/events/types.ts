// What a client may ask of the live event stream (§4): the tRPC subscription's input, which the raw SSE
// route parses from its query string too (services/events/request.ts).
import { EVENT_TYPES } from "@crewdeck/domain";
import { z } from "zod";
import { zId } from "../../lib/schemas";

/**
 * The ids this stream hands out: opaque strings the event bus owns (a row number on one server, a Redis
 * stream id when scaled out), never to be parsed or ordered by clients. A client resumes after the last
 * one it saw; the bus says whether it can (an id of another bus, or one older than what it keeps, is
 * refused). Here only what could never be an id, nor travel in an SSE `id:` line, is turned away.
 */
export const zEventId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, "Not an event id from this stream");

export const zEventStreamInput = z.object({
  conversationId: zId.optional(),
  projectId: zId.optional(),
  taskId: zId.optional(),
  /** Only these event types; every type when omitted. */
  types: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length).optional(),
  /** Replay the events after this id first (tRPC also fills it from `Last-Event-ID`). */
  lastEventId: zEventId.nullish(),
});
