// The raw event stream in the OpenAPI document, described by hand: it is a plain SSE route, not a
// procedure (`x-crewdeck-raw`), but integrators look for it beside the operations.
import { schema } from "@crewdeck/db";
import type { OpenAPIObject } from "trpc-to-openapi";

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const idFilter = (name: string, what: string) => ({
  name,
  in: "query",
  required: false,
  description: `Only events about this ${what} (404 if it is not yours to see)`,
  schema: { type: "string" },
});

export function describeEventStream(document: OpenAPIObject): void {
  document.paths ??= {};
  const paths = document.paths as Record<string, Record<string, unknown>>;
  paths["/events"] = {
    ...paths["/events"],
    get: {
      operationId: "events-stream",
      summary: "Live events as Server-Sent Events, resumable with Last-Event-ID",
      description: [
        "Each event is a frame `id: <id>`, `event: <type>`, `data: <json>` where the JSON is",
        "`{ id, type, scope, payload, createdAt }` and `payload` is the event of §4 (message, message_delta,",
        "message_deleted `{ messageId, conversationId }` when a reply is removed to be regenerated,",
        "agent_typing, agent_status, agent_action, task_progress, pipeline_update, task_completed, budget_alert,",
        "notification, emergency_pause, emergency_resume, error, and github_update `{ projectId, kind, id, number, action }`",
        "when a webhook changed a synced issue or pull request). Without filters, every event you may see:",
        "your own, and your projects'. A `: ping` comment arrives every 15 s. After a disconnect, reconnect",
        "with the last id you saw in `Last-Event-ID` (browsers' EventSource does so) or `?lastEventId=`:",
        "the events you missed come first, each exactly once. The stream ends once the credential it was opened",
        "with is no longer valid (logout, a revoked session, a ban, a deleted API key or account), within seconds,",
        "with a last frame `event: error` whose data is the contract's error `{ error: { code, message, requestId } }`.",
        "Ids are opaque strings (a number on a single server, a Redis stream id such as `1733240000000-0` when",
        "scaled out): pass them back as received, never compare them. An id whose following events are no",
        "longer kept (older than EVENT_RETENTION) is refused with 400 VALIDATION_ERROR on `lastEventId`, or",
        "ends an open replay with that error frame: reload what you show, then reconnect without an id.",
      ].join(" "),
      tags: ["events"],
      security: [{ bearer: [] }, { apiKey: [] }],
      "x-crewdeck-raw": true,
      parameters: [
        idFilter("conversationId", "conversation"),
        idFilter("projectId", "project"),
        idFilter("taskId", "task"),
        {
          name: "types",
          in: "query",
          required: false,
          description: "Only these event types, comma-separated",
          schema: { type: "string", example: "message,message_delta" },
        },
        {
          name: "lastEventId",
          in: "query",
          required: false,
          description: "Replay the events after this id first (the Last-Event-ID header wins)",
          schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,64}$" },
        },
        {
          name: "Last-Event-ID",
          in: "header",
          required: false,
          description: "The last event id received, sent by EventSource when it reconnects",
          schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,64}$" },
        },
      ],
      responses: {
        "200": {
          description: "The stream; it stays open until the client closes it or the server stops",
          content: {
            "text/event-stream": {
              schema: { type: "string" },
              example: `id: 42\nevent: message\ndata: {"id":"42","type":"message","scope":{…},"payload":{…},"createdAt":"…"}\n\n`,
            },
          },
        },
        "400": errorResponse(
          `A filter or lastEventId that is not valid (types are ${schema.EVENT_TYPES.join(", ")})`,
        ),
        "401": errorResponse("Authentication required"),
        "404": errorResponse("A conversation, project or task in the filters that is not yours to see"),
        "429": errorResponse("Too many requests, or as many open event streams as one person may hold"),
      },
    },
  };
}
