// Crewdeck's live relay beside a minimal hand-written one, in the same process layout: the fake provider
// (the token source) in the bench's process, each relay in a child process of its own, the SSE subscribers
// in another. A round opens N streams on one relay, measures what they cost it in memory, streams replies
// of numbered chunks through it and times each chunk from the provider's write to each subscriber's read.
import { type ChildProcess, fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type FakeAnthropic,
  type FakeScript,
  startFakeAnthropic,
} from "../../packages/engine/src/testing/index";
import { nextMessage } from "./child-messages";
import { minimalRelayModule } from "./minimal-relay";
import { asker, type ChildMemory, forkRelay, type RelayChild, serverChildModule } from "./server-child";
import type { SseClientsConfig, SseClientsReport } from "./sse-clients";
import { epochMs, kib, type LatencySummary, ms, sleep } from "./stats";

const API_KEY = "sk-ant-bench";
const here = path.dirname(fileURLToPath(import.meta.url));

export type Relay = {
  name: "crewdeck" | "minimal";
  child: RelayChild;
  token: string;
  conversationId: string;
  /** Streams one reply of `script` from the fake through this relay; resolves once it is over. */
  reply(script: FakeScript): Promise<void>;
};

export type Relays = { fake: FakeAnthropic; crewdeck: Relay; minimal: Relay; close(): Promise<void> };

async function api<T>(url: string, token: string | null, method: string, route: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Starts the fake provider here, the real server and the minimal relay each in a child process. */
export async function startRelays(name: string): Promise<Relays> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `crewdeck-bench-${name}-`));
  const fake = await startFakeAnthropic({ apiKey: API_KEY });
  const children: RelayChild[] = [];
  const close = async () => {
    await Promise.all(children.map((child) => child.close()));
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const server = await forkRelay(serverChildModule, {
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "error",
      WEB_DIST_DIR: path.join(dataDir, "no-web-build"),
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_BASE_URL: fake.url,
      // The limits protect a shared server from people; a benchmark is one person going fast on purpose.
      RATE_LIMIT_GENERAL_PER_MINUTE: "1000000",
      RATE_LIMIT_TASK_START_PER_HOUR: "1000000",
      // One bench user holds every stream: the per-person quota is for people, not for this.
      MAX_EVENT_STREAMS_PER_USER: "1000000",
    });
    children.push(server);
    const minimalChild = await forkRelay(minimalRelayModule, { fakeUrl: fake.url, apiKey: API_KEY });
    children.push(minimalChild);

    const registered = await api<{ access_token: string }>(server.url, null, "POST", "/auth/register", {
      email: "bench@example.test",
      username: "bench",
      password: "correct horse battery",
    });
    const token = registered.access_token;
    const project = await api<{ id: string }>(server.url, token, "POST", "/projects", { name });
    const agents = await api<{ items: { id: string }[] }>(
      server.url,
      token,
      "GET",
      `/projects/${project.id}/agents`,
    );
    const agent = agents.items[0];
    if (!agent) throw new Error("the project has no crew");
    const conversation = await api<{ id: string }>(server.url, token, "POST", "/conversations", {
      title: name,
      projectId: project.id,
      agentIds: [agent.id],
    });
    const askServer = asker(server.process);
    const askMinimal = asker(minimalChild.process);
    const crewdeck: Relay = {
      name: "crewdeck",
      child: server,
      token,
      conversationId: conversation.id,
      reply: async (script) => {
        fake.enqueue(script);
        await api(server.url, token, "POST", `/conversations/${conversation.id}/messages`, {
          content: "Go on",
        });
        await askServer("idle");
      },
    };
    const minimal: Relay = {
      name: "minimal",
      child: minimalChild,
      token,
      conversationId: conversation.id,
      reply: async (script) => {
        fake.enqueue(script);
        await askMinimal("relay");
      },
    };
    // Warm the code paths once (a default reply), so the figures are about relaying, not compiling.
    await crewdeck.reply({ text: ["warm", "up"] });
    await minimal.reply({ text: ["warm", "up"] });
    return { fake, crewdeck, minimal, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export type RoundOptions = {
  clients: number;
  replies: number;
  chunksPerReply: number;
  chunkDelayMs: number;
  /** Hold the streams open this long before measuring memory. */
  settleMs?: number;
  /** Called with the streams open, before the replies (a heap snapshot…). */
  whileIdle?: (relay: Relay) => Promise<void>;
  /** Wrapped around the replies (a CPU profile…). */
  aroundReplies?: (relay: Relay, work: () => Promise<void>) => Promise<void>;
};

export type RoundResult = {
  relay: Relay["name"];
  connectMs: number;
  before: ChildMemory;
  idle: ChildMemory;
  report: SseClientsReport;
};

/** One round on one relay: N streams opened, measured idle, then the replies streamed to all of them. */
export async function runRound(relay: Relay, options: RoundOptions): Promise<RoundResult> {
  const markers = options.replies * options.chunksPerReply;
  const before = await relay.child.memory();
  const config: SseClientsConfig = {
    url: relay.child.url,
    token: relay.token,
    conversationId: relay.conversationId,
    clients: options.clients,
    markers,
  };
  const clients: ChildProcess = fork(path.join(here, "sse-clients.ts"), [JSON.stringify(config)], {
    execArgv: ["--import", "tsx"],
  });
  try {
    const connectStarted = performance.now();
    await nextMessage(clients, "ready", 600_000);
    const connectMs = performance.now() - connectStarted;
    await sleep(options.settleMs ?? 500);
    const idle = await relay.child.memory();
    await options.whileIdle?.(relay);

    const written = new Array<number>(markers).fill(Number.NaN);
    const replies = async () => {
      for (let reply = 0; reply < options.replies; reply++) {
        const first = reply * options.chunksPerReply;
        await relay.reply({
          text: Array.from({ length: options.chunksPerReply }, (_, i) => `${first + i}|`),
          chunkDelayMs: options.chunkDelayMs,
          onChunk: (i) => {
            written[first + i] = epochMs();
          },
        });
      }
    };
    if (options.aroundReplies) await options.aroundReplies(relay, replies);
    else await replies();
    const done = nextMessage<SseClientsReport>(clients, "done", 600_000);
    clients.send({ type: "written", written, waitMs: 20_000 });
    const report = await done;
    return { relay: relay.name, connectMs, before, idle, report };
  } finally {
    const gone = new Promise((resolve) => clients.once("exit", resolve));
    clients.send({ type: "stop" });
    await gone;
    // Let the relay notice the closed streams before the next round measures it.
    await sleep(500);
  }
}

export function printRound(result: RoundResult, clients: number) {
  const { latency } = result.report;
  const perStream = (field: keyof ChildMemory) => kib((result.idle[field] - result.before[field]) / clients);
  console.log(
    `${result.relay.padEnd(9)} p50 ${ms(latency.p50).padStart(10)}  p99 ${ms(latency.p99).padStart(10)}  max ${ms(latency.max).padStart(10)}` +
      `  | per stream RSS ${perStream("rss").padStart(9)} heap ${perStream("heapUsed").padStart(9)} (V8 holds ${perStream("heapTotal")}, external ${perStream("external")})` +
      `  | connect ${(result.connectMs / 1000).toFixed(1)} s, ${(result.report.frames / clients).toFixed(0)} frames/stream, ${result.report.missing} missing, ${result.report.failed} failed`,
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(middle)] ?? Number.NaN) + (sorted[Math.ceil(middle)] ?? Number.NaN)) / 2;
};

/** Medians over the rounds of each relay, and Crewdeck's figures as ratios of the minimal relay's. */
export function printComparison(
  results: RoundResult[],
  clients: number,
  goal: { p99OverheadMs?: number; p99Ms?: number },
) {
  const of = (name: Relay["name"]) => results.filter((r) => r.relay === name);
  const pick = (name: Relay["name"], figure: (r: RoundResult) => number) => median(of(name).map(figure));
  const p50 = (r: RoundResult) => r.report.latency.p50;
  const p99 = (r: RoundResult) => r.report.latency.p99;
  const rss = (r: RoundResult) => (r.idle.rss - r.before.rss) / clients;
  const heap = (r: RoundResult) => (r.idle.heapUsed - r.before.heapUsed) / clients;
  const row = (
    label: string,
    figure: (r: RoundResult) => number,
    format: (n: number) => string,
    extra = "",
  ) => {
    const c = pick("crewdeck", figure);
    const m = pick("minimal", figure);
    console.log(
      `${label.padEnd(22)} crewdeck ${format(c).padStart(10)}  minimal ${format(m).padStart(10)}  ratio ${(c / m).toFixed(2)}×${extra}`,
    );
  };
  console.log(`median of ${of("crewdeck").length} interleaved rounds each, ${clients} subscribers:`);
  const overhead = pick("crewdeck", p99) - pick("minimal", p99);
  row("latency p50", p50, ms, `  overhead ${ms(pick("crewdeck", p50) - pick("minimal", p50))}`);
  row(
    "latency p99",
    p99,
    ms,
    `  overhead ${ms(overhead)}${goal.p99OverheadMs === undefined ? "" : ` (goal ≤ ${goal.p99OverheadMs} ms)`}${goal.p99Ms === undefined ? "" : ` (goal p99 ≤ ${goal.p99Ms} ms)`}`,
  );
  row("RSS per idle stream", rss, kib, "  (goal ≤ 48.8 KiB = 50 KB)");
  row("heap per idle stream", heap, kib);
}

export type { LatencySummary };
