// What the seeds' real-time transports (Socket.IO, the plain WebSocket at /ws) share: the caller is
// authenticated from the handshake as a request would be, the caller's live events come from the same
// feed as the SSE route (`openEventFeed`: its visibility rules, stream quota and credential checks), and
// each connection may send at most so many messages a minute.
import type { IncomingMessage } from "node:http";
import {
  type ApiDeps,
  ApiError,
  type AuthedContext,
  asApiError,
  authenticateRequest,
  type Context,
  createContext,
  type EventStreamRequest,
  openEventFeed,
  parseEventQuery,
  toContractError,
  withinCredentialProject,
} from "@crewdeck/api";
import { API_KEY_HEADER, CLIENT_IP_HEADER } from "@crewdeck/auth";
import type { AnyBusEvent } from "@crewdeck/engine";
import { TRPCError } from "@trpc/server";
import { uuidv7 } from "uuidv7";

/** The contract's error, as a real-time client receives it (seed 001's `error` event). */
export type GatewayError = { code: string; message: string; details?: unknown; requestId: string };

/** Any thrown error as the contract's error and its HTTP status; an unexpected one says no more than a 500. */
export function gatewayFailure(error: unknown, requestId: string): { status: number; body: GatewayError } {
  const known = asApiError(error) ?? (error instanceof TRPCError ? error : null);
  if (known) return toContractError(known, requestId);
  return { status: 500, body: { code: "INTERNAL_ERROR", message: "Internal server error", requestId } };
}

/** Any thrown error as the contract's error shape. */
export const gatewayError = (error: unknown, requestId: string): GatewayError =>
  gatewayFailure(error, requestId).body;

/** API keys are handed out with this prefix; anything else in `auth.token` is a bearer token. */
const API_KEY_PREFIX = "cd_";

/**
 * The request headers a handshake authenticates with: its own (the session cookie, an `Authorization`
 * header), with `token` (Socket.IO's `auth: { token }`, or `?token=` on /ws) taking the place of the
 * credential headers when given. The client address travels as it does for every request.
 */
function handshakeHeaders(req: IncomingMessage, token: string | undefined): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  headers.delete(CLIENT_IP_HEADER);
  if (req.socket.remoteAddress) headers.set(CLIENT_IP_HEADER, req.socket.remoteAddress);
  if (token) {
    headers.delete("authorization");
    headers.delete(API_KEY_HEADER);
    headers.delete("cookie");
    if (token.startsWith(API_KEY_PREFIX)) headers.set(API_KEY_HEADER, token);
    else headers.set("authorization", `Bearer ${token}`);
  }
  return headers;
}

export type GatewayCaller = {
  ctx: AuthedContext;
  /** Runs `fn` as the credential's requests run (an API key limited to one project stays within it). */
  within<T>(fn: () => T): T;
  /** A context for one change the client asks for, checked as a POST would be (CSRF for a cookie). */
  forWrite(): Context;
};

/** Who opened the connection, or the error a request with the same credential would get. */
export async function authenticateHandshake(
  deps: ApiDeps,
  req: IncomingMessage,
  token: string | undefined,
): Promise<GatewayCaller> {
  const headers = handshakeHeaders(req, token);
  const info = (method: string) => ({
    requestId: uuidv7(),
    method,
    headers,
    resHeaders: new Headers(),
    clientIp: req.socket.remoteAddress ?? null,
  });
  const base = createContext(deps, info("GET"));
  const viewer = await authenticateRequest(base, { access: "read" });
  // A page on any site may open a WebSocket here, and the browser sends our cookie with it; unlike a
  // cross-site GET, the page then reads what comes back. So a cookie-authenticated handshake must come
  // from our own pages (browsers always send `Origin` on a WebSocket handshake).
  const origin = headers.get("origin");
  if (viewer.via === "cookie" && origin && !deps.settings.trustedOrigins.includes(origin)) {
    throw new ApiError(
      "FORBIDDEN",
      "Cross-site connection refused: connect from a trusted origin, or authenticate with a token",
    );
  }
  const ctx: AuthedContext = { ...base, viewer };
  const projectId = viewer.apiKey?.projectId ?? null;
  return {
    ctx,
    within: (fn) => withinCredentialProject(projectId, fn),
    // The viewer is resolved again, so a credential that died since the handshake is refused.
    forWrite: () => createContext(deps, info("POST")),
  };
}

/** The resume id a client sent (`lastEventId` or `last_event_id`), validated as the SSE route's. */
export function resumeRequest(lastEventId: unknown): EventStreamRequest {
  const id = typeof lastEventId === "string" ? lastEventId : undefined;
  return parseEventQuery({}, id);
}

/**
 * Opens the caller's live events: `deliver` is handed each event the caller may see, in order; `ended`
 * once the stream is over (with the error when the credential died). Refuses as the SSE route does
 * (too many open streams, a resume id the bus cannot resume from).
 */
export async function openGatewayFeed(
  caller: GatewayCaller,
  request: EventStreamRequest,
  signal: AbortSignal,
  deliver: (event: AnyBusEvent) => void,
  ended: (error: GatewayError | null) => void,
): Promise<void> {
  await caller.within(() =>
    openEventFeed(caller.ctx, request, signal, {
      write: deliver,
      end: (error) => ended(error ? gatewayError(error, caller.ctx.requestId) : null),
    }),
  );
}

/** Seed 001 ("Rate Limits"): 100 messages per minute per connection. */
export const MESSAGES_PER_MINUTE = 100;

/** A connection's message allowance: a fixed one-minute window, counted in the connection itself. */
export function messageAllowance(perMinute = MESSAGES_PER_MINUTE, now = Date.now) {
  let windowStart = now();
  let used = 0;
  return {
    /** True when the message may go through; false once this minute's allowance is spent. */
    take(): boolean {
      const t = now();
      if (t - windowStart >= 60_000) {
        windowStart = t;
        used = 0;
      }
      used++;
      return used <= perMinute;
    },
    /** Seconds until the allowance is back. */
    retryAfterSeconds: () => Math.max(1, Math.ceil((windowStart + 60_000 - now()) / 1000)),
  };
}
