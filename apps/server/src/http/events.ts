// The raw live event stream (§4) for REST clients: `GET /api/v1/events` as Server-Sent Events, with the
// same filters, access checks and visibility as the tRPC subscription (they share one service).

import type { ServerResponse } from "node:http";
import {
  type ApiDeps,
  type ApiError,
  openEventFeed,
  parseEventQuery,
  REST_BASE_PATH,
  toContractError,
} from "@crewdeck/api";
import type { AnyBusEvent } from "@crewdeck/engine";
import type { Context, Hono } from "hono";
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

/** A client this far behind (bytes the kernel would not take) is cut off; it resumes from its Last-Event-ID. */
const MAX_UNSENT_BYTES = 1024 * 1024;

const CONNECTED = encoder.encode(": connected\n\n");
const PING = encoder.encode(": ping\n\n");

/** One timer pings every open stream, rather than one timer per stream. */
const pinged = new Set<() => void>();
let pingTimer: NodeJS.Timeout | undefined;
function pingWhileOpen(ping: () => void): () => void {
  pinged.add(ping);
  pingTimer ??= setInterval(() => {
    for (const each of pinged) each();
  }, PING_INTERVAL_MS).unref();
  return () => {
    pinged.delete(ping);
    if (pinged.size === 0) {
      clearInterval(pingTimer);
      pingTimer = undefined;
    }
  };
}

/** Where a stream's frames go: the Node response itself, or (without one) a web stream. */
type FrameTarget = {
  /** False once the client is gone or was cut off. */
  write(frame: Uint8Array): boolean;
  close(): void;
};

/**
 * Writes straight to the Node response: one `write` per event per client, in the bus's own pass over the
 * streams, with no web stream, promise or queue per client between. The head goes out after the app's
 * middleware has added its headers to the response (they run as this route returns).
 */
function nodeTarget(c: Context<AppEnv>, outgoing: ServerResponse, onGone: () => void): FrameTarget {
  // Let go of the request's context once the head is out: an open stream should hold little but its socket.
  let context: Context<AppEnv> | null = c;
  let early: Uint8Array[] | null = [CONNECTED];
  let open = true;
  const gone = () => {
    if (!open) return;
    open = false;
    early = null;
    onGone();
  };
  outgoing.on("close", gone);
  setImmediate(() => {
    const response = context?.res;
    context = null;
    if (!open || !early || !response) return;
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== "x-hono-already-sent") headers[name] = value;
    });
    outgoing.writeHead(200, headers);
    for (const frame of early) outgoing.write(frame);
    early = null;
  });
  return {
    write(frame) {
      if (!open) return false;
      if (early) {
        early.push(frame);
        return true;
      }
      if (outgoing.writableLength > MAX_UNSENT_BYTES) {
        // Too slow to keep up: its backlog must not grow without bound, nor hold up the others.
        outgoing.destroy();
        gone();
        return false;
      }
      outgoing.write(frame);
      return true;
    },
    close() {
      if (!open) return;
      if (early) {
        // Ended before the head went out: let the head go first.
        setImmediate(() => this.close());
        return;
      }
      open = false;
      outgoing.end();
    },
  };
}

/** The same frames through a web stream, where the route runs without a Node response (fetch-style). */
function webTarget(onGone: () => void): { target: FrameTarget; body: ReadableStream<Uint8Array> } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(CONNECTED);
    },
    cancel() {
      open = false;
      onGone();
    },
  });
  return {
    body,
    target: {
      write(frame) {
        if (!open) return false;
        controller.enqueue(frame);
        return true;
      },
      close() {
        if (!open) return;
        open = false;
        controller.close();
      },
    },
  };
}

export function mountEventRoutes(app: Hono<AppEnv>, deps: ApiDeps) {
  app.get(`${REST_BASE_PATH}/events`, (c) =>
    asApiRoute(c, deps, async (api) => {
      const request = parseEventQuery(c.req.query(), c.req.header("last-event-id"));
      const { requestId } = api;
      const stop = new AbortController();
      const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
      // Until the stream is admitted (a refusal is an ordinary error response), frames wait here.
      let target: FrameTarget | null = null;
      const early: Uint8Array[] = [];
      let endedWith: ApiError | null | undefined;
      let stopPing = () => {};
      const send = (frame: Uint8Array) => (target ? target.write(frame) : early.push(frame) > 0);
      const end = (error: ApiError | null) => {
        stopPing();
        if (!target) {
          endedWith ??= error;
          return;
        }
        if (error) target.write(encoder.encode(formatSseError(toContractError(error, requestId).body)));
        target.close();
      };
      try {
        await openEventFeed(api, request, stop.signal, {
          write: (event) => {
            if (!send(encodeFrame(event))) stop.abort();
          },
          end,
        });
      } catch (error) {
        stop.abort();
        throw error;
      }
      const clientGone = () => stop.abort();
      const web = outgoing ? null : webTarget(clientGone);
      target = web?.target ?? nodeTarget(c, outgoing as ServerResponse, clientGone);
      for (const frame of early.splice(0)) target.write(frame);
      if (endedWith !== undefined) end(endedWith);
      else stopPing = pingWhileOpen(() => target?.write(PING) || stop.abort());
      if (web) return new Response(web.body, { status: 200, headers: SSE_HEADERS });
      return new Response(null, { status: 200, headers: { ...SSE_HEADERS, "x-hono-already-sent": "true" } });
    }),
  );
}
