// What a client may ask of the live event stream (§4), validated the same way for the tRPC subscription
// and the raw SSE route.
import type { z } from "zod";
import { invalid, zodFieldErrors } from "../../errors";
import { zEventStreamInput } from "../../routers/events/types";

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
