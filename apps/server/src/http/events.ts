// The raw live event stream (§4) for REST clients: `GET /api/v1/events` as Server-Sent Events, with the
// same filters, access checks and visibility as the tRPC subscription (they share one service).

import {
  type ApiDeps,
  asApiError,
  openEventStream,
  parseEventQuery,
  REST_BASE_PATH,
  toContractError,
} from "@crewdeck/api";
import type { AnyBusEvent } from "@crewdeck/engine";
import type { Hono } from "hono";
import { asApiRoute } from "./api-route";
import type { AppEnv } from "./request-context";

/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
const PING_INTERVAL_MS = 15_000;

const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  // nginx would otherwise buffer the stream and deliver events in clumps.
  "X-Accel-Buffering": "no",
};

const encoder = new TextEncoder();

/** One event as an SSE frame; JSON never holds a raw newline, so `data` is one line. */
export const formatSseEvent = (event: AnyBusEvent): string =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

// A live event is one object shared by every subscriber: encode it once, not once per open stream.
const encodedFrames = new WeakMap<AnyBusEvent, Uint8Array>();
function encodeFrame(event: AnyBusEvent): Uint8Array {
  let frame = encodedFrames.get(event);
  if (!frame) {
    frame = encoder.encode(formatSseEvent(event));
    encodedFrames.set(event, frame);
  }
  return frame;
}

/**
 * The last frame of a stream the server ended (the credential it was opened with no longer holds): an
 * `error` event in the contract's error shape, with no id, so a client that resumes loses nothing.
 */
export const formatSseError = (error: ReturnType<typeof toContractError>["body"]): string =>
  `event: error\ndata: ${JSON.stringify({ error })}\n\n`;

/**
 * The response body: a comment first (so the client sees the stream open at once), then each event,
 * with pings between. It ends, and frees the subscription, when the client goes away (`cancel`), the bus
 * closes, or the stream's credential dies (after an `error` frame saying why).
 */
function sseBody(
  events: AsyncIterable<AnyBusEvent>,
  stop: AbortController,
  requestId: string,
): ReadableStream<Uint8Array> {
  const iterator = events[Symbol.asyncIterator]();
  let ping: NodeJS.Timeout | undefined;
  const finish = () => {
    clearInterval(ping);
    stop.abort();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(": connected\n\n"));
      ping = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(": ping\n\n"));
        } catch {
          finish();
        }
      }, PING_INTERVAL_MS);
    },
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          finish();
          controller.close();
        } else {
          controller.enqueue(encodeFrame(next.value));
        }
      } catch (error) {
        finish();
        const known = asApiError(error);
        try {
          if (known) {
            controller.enqueue(encoder.encode(formatSseError(toContractError(known, requestId).body)));
            controller.close();
          } else {
            // Cancelled meanwhile (the controller is closed), or the log could not be read: the client
            // reconnects with its Last-Event-ID and loses nothing.
            controller.error(error);
          }
        } catch {}
      }
    },
    async cancel() {
      finish();
      await iterator.return?.();
    },
  });
}

export function mountEventRoutes(app: Hono<AppEnv>, deps: ApiDeps) {
  app.get(`${REST_BASE_PATH}/events`, (c) =>
    asApiRoute(c, deps, async (api) => {
      const request = parseEventQuery(c.req.query(), c.req.header("last-event-id"));
      const stop = new AbortController();
      // node-server aborts the request when the client disconnects, even before the first write fails.
      const clientGone = c.req.raw.signal;
      const onGone = () => stop.abort();
      clientGone.addEventListener("abort", onGone, { once: true });
      stop.signal.addEventListener("abort", () => clientGone.removeEventListener("abort", onGone), {
        once: true,
      });
      try {
        const events = await openEventStream(api, request, stop.signal);
        return new Response(sseBody(events, stop, api.requestId), { status: 200, headers: SSE_HEADERS });
      } catch (error) {
        stop.abort();
        throw error;
      }
    }),
  );
}
