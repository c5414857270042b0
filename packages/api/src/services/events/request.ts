// What a client may ask of the live event stream (§4), validated the same way for the tRPC subscription
// and the raw SSE route.
import { schema } from "@crewdeck/db";
import { z } from "zod";
import { invalid, zodFieldErrors } from "../../errors";
import { zId } from "../../lib/schemas";

/** The ids this stream hands out: a client resumes after the last one it saw. */
export const zEventId = z.string().regex(/^\d{1,15}$/, "Not an event id from this stream");

export const zEventStreamInput = z.object({
  conversationId: zId.optional(),
  projectId: zId.optional(),
  taskId: zId.optional(),
  /** Only these event types; every type when omitted. */
  types: z.array(z.enum(schema.EVENT_TYPES)).min(1).max(schema.EVENT_TYPES.length).optional(),
  /** Replay the events after this id first (tRPC also fills it from `Last-Event-ID`). */
  lastEventId: zEventId.nullish(),
});

export type EventStreamRequest = z.infer<typeof zEventStreamInput>;

/**
 * The raw route's query string (`types` comma-separated) and `Last-Event-ID` header, which wins over
 * `?lastEventId=` as it is what a browser's EventSource sends when it reconnects.
 */
export function parseEventQuery(
  query: Record<string, string | undefined>,
  lastEventIdHeader: string | undefined,
): EventStreamRequest {
  // `?conversationId=&projectId=` (the contract's template, left empty) means "no filter".
  const given = (value: string | undefined) =>
    value === undefined || value.trim() === "" ? undefined : value;
  const types = given(query.types)
    ?.split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const result = zEventStreamInput.safeParse({
    conversationId: given(query.conversationId),
    projectId: given(query.projectId),
    taskId: given(query.taskId),
    types,
    lastEventId: given(lastEventIdHeader) ?? given(query.lastEventId),
  });
  if (!result.success) throw invalid("Invalid event stream request", zodFieldErrors(result.error));
  return result.data;
}
