// The plain WebSocket at /ws for seed 002's clients (`new WebSocket('ws://host/ws')`): frames of
// `{ event, data }` (see seed-002.ts). Authenticated as a request is: the session cookie a browser sends,
// an `Authorization` header, or `?token=` (access token or API key); a refused handshake is answered with
// the contract's error and its HTTP status, never upgraded. The person's live events come from the same
// feed as SSE; `?lastEventId=` resumes after a frame's `id`.
import type { Server as HttpServer, IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type ApiDeps, personCredits } from "@crewdeck/api";
import type { AnyBusEvent } from "@crewdeck/engine";
import { uuidv7 } from "uuidv7";
import { type WebSocket, WebSocketServer } from "ws";
import {
  authenticateHandshake,
  type GatewayCaller,
  type GatewayError,
  gatewayFailure,
  MESSAGES_PER_MINUTE,
  messageAllowance,
  openGatewayFeed,
  resumeRequest,
} from "./connection";
import { creditsFrame, type Seed002Frame, spendMayHaveChanged, toSeed002 } from "./seed-002";

export const PLAIN_WEBSOCKET_PATH = "/ws";

/** Closed with this code when the credential dies (1008: policy violation); the last frame says why. */
const CREDENTIAL_ENDED = 1008;

function refuse(socket: Duplex, status: number, body: GatewayError) {
  const json = JSON.stringify({ error: body });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? "Unauthorized" : "Refused"}\r\n` +
      "Content-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(json)}\r\n` +
      "Connection: close\r\n\r\n" +
      json,
  );
}

async function accept(
  deps: ApiDeps,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  url: URL,
) {
  let caller: GatewayCaller | undefined;
  const stop = new AbortController();
  // Frames from before the upgrade completes wait for it, in order.
  let early: (Seed002Frame | { end: GatewayError | null })[] | null = [];
  let ws: WebSocket | null = null;
  const send = (frame: Seed002Frame) => {
    if (early) early.push(frame);
    else if (ws?.readyState === ws?.OPEN) ws?.send(JSON.stringify(frame));
  };
  const end = (error: GatewayError | null) => {
    if (early) {
      early.push({ end: error });
      return;
    }
    if (!ws) return;
    if (error) {
      const { requestId: _, ...data } = error;
      ws.send(JSON.stringify({ event: "error", data: { ...data, details: data.details ?? {} } }));
      ws.close(CREDENTIAL_ENDED, error.code);
    } else ws.close(1001, "Server going away");
  };
  // A client gone before the upgrade completes frees its stream.
  socket.once("close", () => {
    if (!ws) stop.abort();
  });
  try {
    const token = url.searchParams.get("token") ?? undefined;
    caller = await authenticateHandshake(deps, req, token);
    const userId = caller.ctx.viewer.user.id;
    const request = resumeRequest(url.searchParams.get("lastEventId") ?? req.headers["last-event-id"]);
    const defaultCap = deps.settings.siteDefaults.dailySpendCapUsd;
    // Credits are the person's spend across every project: a key limited to one gets none of it.
    const withCredits = !caller.ctx.viewer.apiKey?.projectId;
    let credits = withCredits ? (await personCredits(deps.db, userId, defaultCap)).credits : 0;
    let creditsCheck = Promise.resolve();
    const deliver = (event: AnyBusEvent) => {
      const frame = toSeed002(event);
      if (frame) send(frame);
      if (!withCredits || !spendMayHaveChanged(event)) return;
      creditsCheck = creditsCheck.then(async () => {
        const now = await personCredits(deps.db, userId, defaultCap).catch(() => null);
        if (!now || now.credits === credits) return;
        send(creditsFrame(userId, now.credits, credits));
        credits = now.credits;
      });
    };
    await openGatewayFeed(caller, request, stop.signal, deliver, end);
  } catch (error) {
    stop.abort();
    const { status, body } = gatewayFailure(error, caller?.ctx.requestId ?? uuidv7());
    refuse(socket, status, body);
    return;
  }
  wss.handleUpgrade(req, socket, head, (opened) => {
    ws = opened;
    const allowance = messageAllowance();
    const requestId = caller?.ctx.requestId ?? "";
    opened.on("close", () => stop.abort());
    // Seed 002 defines nothing a client sends; whatever it sends counts against seed 001's allowance.
    opened.on("message", () => {
      if (allowance.take()) return;
      opened.send(
        JSON.stringify({
          event: "error",
          data: {
            code: "RATE_LIMIT_EXCEEDED",
            message: `Too many messages on this connection: at most ${MESSAGES_PER_MINUTE} a minute`,
            details: { limit: MESSAGES_PER_MINUTE, retryAfterSeconds: allowance.retryAfterSeconds() },
            requestId,
          },
        }),
      );
    });
    const waiting = early ?? [];
    early = null;
    for (const item of waiting) {
      if ("end" in item) end(item.end);
      else send(item);
    }
  });
}

/** The /ws endpoint on `httpServer`; `close` ends every connection. */
export function attachPlainWebSocket(httpServer: HttpServer, deps: ApiDeps) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== PLAIN_WEBSOCKET_PATH) return;
    socket.on("error", () => socket.destroy());
    void accept(deps, wss, req, socket, head, url).catch(() => socket.destroy());
  });
  return {
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
