// What the fake model providers share: a plain node:http server on 127.0.0.1, the record of every request,
// the queue of scripted replies, gates that pause a stream, and the pacing of streamed events (delays, cuts).
// Plain HTTP on purpose: a server under test in another process reaches it through its base URL.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type FakeUsage = { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };
export type FakeUsageReported = Required<FakeUsage>;

export type FakeToolUse = { id?: string; name: string; input: unknown };

export type FakeRequest = {
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the provider's JSON field by field
  body: any;
  /** What the fake answered, filled in as it answers. */
  reply?: FakeReply;
};

export type FakeReply = {
  status: number;
  stream: boolean;
  id?: string;
  text?: string;
  toolUses?: Array<Required<FakeToolUse>>;
  stopReason?: string;
  /** The usage the fake reported (for a cut stream: what it had reported before the cut). */
  usage?: FakeUsageReported;
  /** Content chunks written before the stream was cut, when it was. */
  cutAfterChunks?: number;
};

export type FakeGate = {
  /** Resolves once a stream has sent its first content chunk and is waiting. */
  reached: Promise<void>;
  /** Lets the stream go on. */
  release: () => void;
};

export type FakeScript = {
  /** Only a request this accepts takes the script, so concurrent calls each get their own. */
  match?: (request: FakeRequest) => boolean;
  /** The reply's text: one chunk, or the chunks to stream. */
  text?: string | string[];
  toolUses?: FakeToolUse[];
  /** Overrides of the computed usage numbers. */
  usage?: FakeUsage;
  /** The provider's own stop reason (Anthropic `end_turn`…, OpenAI `stop`…); derived when absent. */
  stopReason?: string;
  /** Answer with this HTTP error and the provider's error JSON instead of a reply. */
  error?: { status: number; type?: string; message?: string; headers?: Record<string, string> };
  /** Destroy the socket right after this many content chunks (text deltas and tool input deltas). */
  cutAfterChunks?: number;
  /** Wait before each streamed event. */
  chunkDelayMs?: number;
  /** Pause after the first content chunk until released (see `hold()`). */
  gate?: FakeGate;
  /** The provider's message id; generated when absent. */
  id?: string;
  /**
   * Told just before each content chunk (0-based) is written, so a benchmark can time how long the chunk
   * takes from here to a subscriber: the chunk's text is fixed before it streams, so it cannot carry the time.
   */
  onChunk?: (index: number) => void;
};

export type FakeProviderServer = {
  /** The base URL to configure (ANTHROPIC_BASE_URL or OPENAI_BASE_URL). */
  url: string;
  /** Every request received, in arrival order. */
  requests: FakeRequest[];
  /** Scripts for the next requests, first in first out (a script with `match` waits for a matching one). */
  enqueue: (...scripts: FakeScript[]) => void;
  /** Scripts not taken yet. */
  queued: () => number;
  /** The next stream (or the next one `match` accepts) pauses after its first content chunk. */
  hold: (match?: (request: FakeRequest) => boolean) => FakeGate;
  close: () => Promise<void>;
};

type InternalGate = FakeGate & { released: Promise<void>; reach: () => void };

export type Exchange = {
  request: FakeRequest;
  /** The script this request took, or the default one. */
  script: FakeScript;
  gate: InternalGate | undefined;
  res: ServerResponse;
};

export type FakeError = NonNullable<FakeScript["error"]>;

/** A reply as a fake plans it before writing it in its provider's wire format. */
type PlannedReply = {
  id: string;
  text: string[];
  toolUses: Array<Required<FakeToolUse>>;
  usage: FakeUsageReported;
};

/**
 * What a provider's fake says in its own words: the one route it serves, how it checks a key, how it writes
 * an error, a reply as JSON and a streamed one. The rest (refusing a request without messages, answering
 * with a script's error, choosing JSON or a stream, recording the reply) is the same for every provider.
 */
type FakeServerSetup<P extends PlannedReply> = {
  /** The root of the base URL the client is given ("" or "/v1"). */
  basePath: string;
  /** The path of the one route, answered to POST. */
  route: string;
  /** Whether the request carries the key the fake was started with (true when it was started with none). */
  authorized: (request: FakeRequest) => boolean;
  /** The error for a request without the key. */
  unauthorized: FakeError;
  /** The provider's message for a body without `messages`. */
  missingMessages: string;
  /** The provider's further refusals of a well-formed request, checked last. */
  refuse?: (request: FakeRequest) => FakeError | undefined;
  sendError: (exchange: Pick<Exchange, "res" | "request">, error: FakeError) => void;
  plan: (exchange: Exchange) => P;
  stream: (exchange: Exchange, plan: P) => Promise<void>;
  /** The non-streamed reply's JSON body. */
  json: (plan: P) => unknown;
  /** The stop reason as the provider names it, for `request.reply`. */
  stopReason: (plan: P) => string;
  defaultScript: FakeScript;
};

/** Why a request gets an error without taking a script, if it does. */
function refusalOf<P extends PlannedReply>(setup: FakeServerSetup<P>, request: FakeRequest) {
  if (request.method !== "POST" || request.path !== setup.route) {
    return { status: 404, message: `No route for ${request.method} ${request.path}` };
  }
  if (!setup.authorized(request)) return setup.unauthorized;
  if (typeof request.body !== "object" || request.body === null || !Array.isArray(request.body.messages)) {
    return { status: 400, message: setup.missingMessages };
  }
  return setup.refuse?.(request);
}

async function answer<P extends PlannedReply>(setup: FakeServerSetup<P>, exchange: Exchange) {
  if (exchange.script.error) return setup.sendError(exchange, exchange.script.error);
  const plan = setup.plan(exchange);
  if (exchange.request.body.stream === true) return setup.stream(exchange, plan);
  exchange.request.reply = {
    status: 200,
    stream: false,
    id: plan.id,
    text: plan.text.join(""),
    toolUses: plan.toolUses,
    stopReason: setup.stopReason(plan),
    usage: plan.usage,
  };
  sendJson(exchange, 200, setup.json(plan));
}

function createGate(): InternalGate {
  let reach = () => {};
  let release = () => {};
  const reached = new Promise<void>((r) => {
    reach = r;
  });
  const released = new Promise<void>((r) => {
    release = r;
  });
  return { reached, released, reach, release };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeServer<P extends PlannedReply>(
  setup: FakeServerSetup<P>,
): Promise<FakeProviderServer> {
  const requests: FakeRequest[] = [];
  const scripts: FakeScript[] = [];
  const gates: Array<{ match?: ((request: FakeRequest) => boolean) | undefined; gate: InternalGate }> = [];
  const sockets = new Set<Socket>();
  const openGates = new Set<InternalGate>();

  const takeScript = (request: FakeRequest) => {
    const index = scripts.findIndex((s) => !s.match || s.match(request));
    return index === -1 ? undefined : scripts.splice(index, 1)[0];
  };
  // A gate named by a script is that script's alone, whichever request comes first.
  const claimGate = (gate: FakeGate) => {
    const index = gates.findIndex((g) => g.gate === gate);
    if (index !== -1) gates.splice(index, 1);
    return gate as InternalGate;
  };
  const takeGate = (request: FakeRequest) => {
    const index = gates.findIndex((g) => !g.match || g.match(request));
    return index === -1 ? undefined : gates.splice(index, 1)[0]?.gate;
  };

  const server = createServer(async (req, res) => {
    const text = await readBody(req);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // recorded as text; the handler answers 400
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [
        k.toLowerCase(),
        Array.isArray(v) ? v.join(", ") : (v ?? ""),
      ]),
    );
    const url = new URL(req.url ?? "/", "http://fake");
    const request: FakeRequest = { method: req.method ?? "GET", path: url.pathname, headers, body };
    requests.push(request);
    try {
      const refused = refusalOf(setup, request);
      if (refused) return setup.sendError({ request, res }, refused);
      const script = takeScript(request) ?? setup.defaultScript;
      const gate = script.gate ? claimGate(script.gate) : takeGate(request);
      await answer(setup, { request, script, gate, res });
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: String(error) } }));
      } else {
        res.destroy();
      }
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${setup.basePath}`,
    requests,
    enqueue: (...more) => void scripts.push(...more),
    queued: () => scripts.length,
    hold: (match) => {
      const gate = createGate();
      openGates.add(gate);
      gates.push({ match, gate });
      return gate;
    },
    close: async () => {
      // Paused streams and open keep-alive sockets would otherwise hold the close open.
      for (const gate of openGates) gate.release();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends streamed events at the script's pace; `false` once the stream was cut or the client went away. */
export function createStreamPacer(exchange: Exchange) {
  const { res, script, gate } = exchange;
  let contentChunks = 0;
  const closed = new Promise<void>((resolve) => res.once("close", () => resolve()));
  const alive = () => !res.destroyed && !res.writableEnded;
  const write = (frame: string) => new Promise<void>((resolve) => res.write(frame, () => resolve()));

  return {
    get contentChunks() {
      return contentChunks;
    },
    /** Writes one frame; content frames count towards the gate and the cut. */
    async send(frame: string, isContent: boolean): Promise<boolean> {
      if (script.chunkDelayMs) {
        await Promise.race([new Promise((r) => setTimeout(r, script.chunkDelayMs)), closed]);
      }
      if (!alive()) return false;
      if (isContent) script.onChunk?.(contentChunks);
      await write(frame);
      if (!isContent) return alive();
      contentChunks += 1;
      if (script.cutAfterChunks !== undefined && contentChunks >= script.cutAfterChunks) {
        // Flushed above, so the client sees these chunks and then a connection that dies mid-message.
        res.socket?.destroy();
        return false;
      }
      if (gate && contentChunks === 1) {
        gate.reach();
        await Promise.race([gate.released, closed]);
      }
      return alive();
    },
    cut: () => script.cutAfterChunks !== undefined && contentChunks >= script.cutAfterChunks,
  };
}

/** Splits text into word-sized chunks, spaces kept, so a default reply streams in several deltas. */
export const wordChunks = (text: string): string[] => text.match(/\s*\S+/g) ?? [text];

/** Splits a JSON text in two, as providers stream tool input in fragments. */
export function jsonFragments(json: string): string[] {
  if (json.length < 4) return [json];
  const half = Math.ceil(json.length / 2);
  return [json.slice(0, half), json.slice(half)];
}

/** Deterministic token counts: about four characters a token, as a rough real tokenizer would give. */
export const estimateTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

let sequence = 0;
/** Ids unique within the process, recognisable in logs. */
export const fakeId = (prefix: string): string =>
  `${prefix}${Date.now().toString(36)}${(++sequence).toString(36).padStart(4, "0")}`;

export const textChunks = (script: FakeScript, defaultText: string): string[] =>
  script.text === undefined
    ? wordChunks(defaultText)
    : typeof script.text === "string"
      ? [script.text]
      : script.text;

export const toolUsesOf = (script: FakeScript, idPrefix: string): Array<Required<FakeToolUse>> =>
  (script.toolUses ?? []).map((t) => ({ id: t.id ?? fakeId(idPrefix), name: t.name, input: t.input }));

/** Writes a JSON answer and records it. */
export function sendJson(
  exchange: Pick<Exchange, "res" | "request">,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  exchange.res.writeHead(status, { "content-type": "application/json", ...headers });
  exchange.res.end(JSON.stringify(body));
}
