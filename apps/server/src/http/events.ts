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

/** A client this far behind (bytes the kernel would not take) is cut off; it resumes from its Last-Event-ID. */
const MAX_UNSENT_BYTES = 1024 * 1024;

const CONNECTED = encoder.encode(": connected\n\n");
const PING = encoder.encode(": ping\n\n");

/** One timer pings every open stream, rather than one timer per stream. */
const pinged = new Set<EventStream>();
let pingTimer: NodeJS.Timeout | undefined;
function pingWhileOpen(stream: EventStream) {
  pinged.add(stream);
  pingTimer ??= setInterval(() => {
    for (const each of pinged) each.ping();
  }, PING_INTERVAL_MS).unref();
}
function stopPinging(stream: EventStream) {
  if (!pinged.delete(stream) || pinged.size > 0) return;
  clearInterval(pingTimer);
  pingTimer = undefined;
}

/** Where a stream's frames go: the Node response itself, or (without one) a web stream. */
type FrameTarget = {
  /** False once the client is gone or was cut off. */
  write(frame: Uint8Array): boolean;
  close(): void;
};

/** Streams with frames waiting for this turn of the event loop's write. */
let toFlush: NodeTarget[] = [];
function flushAll() {
  const streams = toFlush;
  toFlush = [];
  for (const stream of streams) stream.flush();
}

/**
 * Writes straight to the client's socket, in the bus's own pass over the streams, with no web stream,
 * promise or queue per client between. Every frame a stream gets in one turn of the event loop goes out
 * in one write at the end of that turn (one shared `setImmediate`): when the server falls behind, each
 * client costs one write per turn rather than one per event. The body is not chunked: it runs until the
 * connection closes, as an event stream does, so a frame is written as it is.
 *
 * It holds the response and little else: an open stream should cost its socket and a few small objects,
 * not the request that opened it (see `start`).
 */
class NodeTarget implements FrameTarget {
  /** Frames before the head went out. */
  private early: Uint8Array[] | null = [CONNECTED];
  /** Frames of this turn, not yet written. */
  private pending: Uint8Array | Uint8Array[] | null = null;
  private open = true;
  private readonly gone = () => {
    if (!this.open) return;
    this.open = false;
    this.early = null;
    this.pending = null;
    this.onGone();
  };

  constructor(
    private readonly outgoing: ServerResponse,
    private readonly onGone: () => void,
  ) {
    outgoing.on("close", this.gone);
    // The client may have gone while the stream waited for its turn or was being admitted.
    if (outgoing.destroyed) queueMicrotask(this.gone);
  }

  /** Sends the head with the headers the app's middleware gave the response, then what waited. */
  start(response: Response | undefined) {
    const { outgoing } = this;
    if (!this.open || !this.early || !response) return;
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (name !== "x-hono-already-sent" && name !== "connection") headers[name] = value;
    });
    // No chunked encoding: the body ends when the connection does (Node says `Connection: close`).
    outgoing.useChunkedEncodingByDefault = false;
    outgoing.writeHead(200, headers);
    outgoing.write(this.early.length === 1 ? (this.early[0] as Uint8Array) : Buffer.concat(this.early));
    this.early = null;
    // The adapter's own close handler holds the whole request (its web Request, headers and abort
    // controller) for as long as the response is open, only to abort that request's signal when the client
    // goes: nothing reads it past this point, and ten thousand open streams would each keep a copy.
    for (const listener of outgoing.listeners("close")) {
      if (listener !== this.gone) outgoing.off("close", listener as () => void);
    }
  }

  write(frame: Uint8Array): boolean {
    if (!this.open) return false;
    if (this.early) {
      this.early.push(frame);
      return true;
    }
    const { pending } = this;
    if (pending === null) {
      this.pending = frame;
      if (toFlush.push(this) === 1) setImmediate(flushAll);
    } else if (Array.isArray(pending)) pending.push(frame);
    else this.pending = [pending, frame];
    return true;
  }

  /** Writes this turn's frames in one go. */
  flush(): void {
    const { pending } = this;
    this.pending = null;
    if (!this.open || pending === null) return;
    const socket = this.outgoing.socket;
    if (!socket || socket.destroyed) {
      this.gone();
      return;
    }
    if (socket.writableLength > MAX_UNSENT_BYTES) {
      // Too slow to keep up: its backlog must not grow without bound, nor hold up the others.
      socket.destroy();
      this.gone();
      return;
    }
    socket.write(Array.isArray(pending) ? Buffer.concat(pending) : pending);
  }

  close(): void {
    if (!this.open) return;
    if (this.early) {
      // Ended before the head went out: let the head go first.
      setImmediate(() => this.close());
      return;
    }
    this.flush();
    this.open = false;
    this.outgoing.end();
  }
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

/**
 * One open stream: the feed the event service writes to, and all the stream keeps while it is open. It is
 * built outside the route's closure, so it holds no reference to the request's context.
 */
class EventStream {
  readonly stop = new AbortController();
  /** Until the stream is admitted (a refusal is an ordinary error response), frames wait here. */
  private target: FrameTarget | null = null;
  private early: Uint8Array[] | null = [];
  private endedWith: ApiError | null | undefined;

  constructor(private readonly requestId: string) {}

  write(event: AnyBusEvent): void {
    if (!this.send(encodeFrame(event))) this.stop.abort();
  }

  end(error: ApiError | null): void {
    stopPinging(this);
    if (!this.target) {
      this.endedWith ??= error;
      return;
    }
    if (error) this.target.write(encoder.encode(formatSseError(toContractError(error, this.requestId).body)));
    this.target.close();
  }

  ping(): void {
    if (!this.target?.write(PING)) this.stop.abort();
  }

  readonly clientGone = () => this.stop.abort();

  /** The stream was admitted: frames go to `target` from now on. */
  attach(target: FrameTarget) {
    this.target = target;
    for (const frame of this.early ?? []) target.write(frame);
    this.early = null;
    if (this.endedWith !== undefined) this.end(this.endedWith);
    else pingWhileOpen(this);
  }

  private send(frame: Uint8Array): boolean {
    if (this.target) return this.target.write(frame);
    this.early?.push(frame);
    return true;
  }
}

/**
 * Streams admitted at once. Every client of a restarted server reconnects together; admitting thousands
 * at once held each admission's working memory (authentication, database reads) at the same time, and
 * the process kept that peak as resident memory long after: about 56 KiB per stream of a burst of 3,000,
 * against under 3 KiB when they arrive a few dozen at a time.
 */
const MAX_ADMITTING = 32;
let admitting = 0;
const waitingToAdmit: (() => void)[] = [];
async function admissionTurn(): Promise<void> {
  if (admitting < MAX_ADMITTING) {
    admitting++;
    return;
  }
  await new Promise<void>((resolve) => waitingToAdmit.push(resolve));
}
function admissionDone() {
  const next = waitingToAdmit.shift();
  if (next) next();
  else admitting--;
}

export function mountEventRoutes(app: Hono<AppEnv>, deps: ApiDeps) {
  app.get(`${REST_BASE_PATH}/events`, async (_c, next) => {
    await admissionTurn();
    try {
      await next();
    } finally {
      admissionDone();
    }
  });
  app.get(`${REST_BASE_PATH}/events`, (c) =>
    asApiRoute(c, deps, async (api) => {
      const request = parseEventQuery(c.req.query(), c.req.header("last-event-id"));
      const stream = new EventStream(api.requestId);
      try {
        await openEventFeed(api, request, stream.stop.signal, stream);
      } catch (error) {
        stream.stop.abort();
        throw error;
      }
      const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
      if (!outgoing) {
        const web = webTarget(stream.clientGone);
        stream.attach(web.target);
        return new Response(web.body, { status: 200, headers: SSE_HEADERS });
      }
      const target = new NodeTarget(outgoing, stream.clientGone);
      stream.attach(target);
      // The head goes out after the app's middleware has added its headers (they run as this returns).
      setImmediate(() => target.start(c.res));
      return new Response(null, { status: 200, headers: { ...SSE_HEADERS, "x-hono-already-sent": "true" } });
    }),
  );
}
