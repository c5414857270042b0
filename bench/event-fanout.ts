// One conversation watched by 1,000 raw SSE subscribers on a real server: how long a posted message and
// a streamed chunk take to reach all of them, and what each open stream costs the server in memory.
import { type ChildProcess, fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseEnv } from "../apps/server/src/env";
import { startServer } from "../apps/server/src/server";
import type { DatabaseEventBus } from "../packages/engine/src/events/database-event-bus";
import type { ClientReport } from "./lib/sse-clients";
import { collectGarbage, epochMs, kib, mib, printLatency, sleep } from "./lib/stats";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
// `BENCH_CLIENTS=10000 BENCH_MESSAGES=0 BENCH_DELTA_GAP_MS=100` is the idle-streams goal: 10,000 streams
// held open, then a 10 Hz stream to all of them.
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 50);
const DELTAS = Number(process.env.BENCH_DELTAS ?? 200);
/** Pauses between publishes: a person posting, a model streaming fast. */
const MESSAGE_GAP_MS = 20;
const DELTA_GAP_MS = Number(process.env.BENCH_DELTA_GAP_MS ?? 2);

const here = path.dirname(fileURLToPath(import.meta.url));

async function api(url: string, token: string | null, method: string, route: string, body?: unknown) {
  const res = await fetch(`${url}/api/v1${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Resolves with the first message of `type` the child sends. */
const nextMessage = <T>(child: ChildProcess, type: string, timeoutMs: number) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${type}" from the clients in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (message: { type: string }) => {
      if (message.type === "error") console.error("client:", message);
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message as T);
    };
    child.on("message", onMessage);
  });

function memory() {
  collectGarbage();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

export async function run(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-bench-fanout-"));
  const server = await startServer(
    parseEnv({
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "error",
      WEB_DIST_DIR: path.join(dataDir, "no-web-build"),
      RATE_LIMIT_GENERAL_PER_MINUTE: "1000000",
      // One bench user holds every stream: the per-person quota is for people, not for this.
      MAX_EVENT_STREAMS_PER_USER: "1000000",
    }),
  );
  let child: ChildProcess | undefined;
  try {
    const registered = await api(server.url, null, "POST", "/auth/register", {
      email: "bench@example.test",
      username: "bench",
      password: "correct horse battery",
    });
    const token = registered.access_token as string;
    const userId = (registered.user as { id: string }).id;
    const conversation = await api(server.url, token, "POST", "/conversations", { title: "Fan-out" });
    const conversationId = conversation.id as string;
    const bus = server.deps.engine.bus as DatabaseEventBus;

    // Warm the code paths once, so the memory figure is about streams, not first-use compilation.
    await api(server.url, token, "POST", `/conversations/${conversationId}/messages`, { content: "warm-up" });
    const before = memory();

    child = fork(
      path.join(here, "lib/sse-clients.ts"),
      [
        JSON.stringify({
          url: server.url,
          token,
          conversationId,
          clients: CLIENTS,
          expected: MESSAGES + DELTAS,
        }),
      ],
      { execArgv: ["--import", "tsx"] },
    );
    const connectStarted = performance.now();
    await nextMessage(child, "ready", 300_000);
    const connectMs = performance.now() - connectStarted;
    await sleep(500);
    const after = memory();
    const subscribers = bus.stats().subscribers;

    const done = nextMessage<ClientReport>(child, "done", 300_000);
    const publishStarted = performance.now();
    for (let i = 0; i < MESSAGES; i++) {
      await api(server.url, token, "POST", `/conversations/${conversationId}/messages`, {
        content: String(epochMs()),
      });
      await sleep(MESSAGE_GAP_MS);
    }
    for (let i = 0; i < DELTAS; i++) {
      // As a provider's stream does: handed over without waiting for the row (it is stored with its neighbours).
      bus
        .publish({
          type: "message_delta",
          // The conversation is unassigned: its events are its creator's (see `conversationScope`).
          scope: { userId, conversationId },
          payload: { messageId: "bench", conversationId, delta: String(epochMs()) },
        })
        .catch(() => {});
      await sleep(DELTA_GAP_MS);
    }
    const report = await done;
    const totalMs = performance.now() - publishStarted;

    console.log(
      `${CLIENTS} SSE subscribers on one conversation (${subscribers} open on the bus), connected in ${(connectMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `${MESSAGES} messages (REST POST, ${MESSAGE_GAP_MS} ms apart) and ${DELTAS} deltas (bus, ${DELTA_GAP_MS} ms apart) in ${(totalMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `delivered ${report.received} of ${CLIENTS * (MESSAGES + DELTAS)} events; ${report.failed} streams failed`,
    );
    if (MESSAGES > 0) printLatency("message: POST → every subscriber", report.message);
    printLatency("message_delta: publish → every subscriber", report.delta);
    const perSubscriber = (bytes: number) => kib(bytes / CLIENTS);
    console.log(
      `server memory per subscriber: heap ${perSubscriber(after.heapUsed - before.heapUsed)}, RSS ${perSubscriber(after.rss - before.rss)} (heap ${mib(before.heapUsed)} → ${mib(after.heapUsed)}, RSS ${mib(before.rss)} → ${mib(after.rss)})`,
    );
  } finally {
    child?.send({ type: "stop" });
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
