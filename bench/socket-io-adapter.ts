// What sharing Socket.IO through Redis costs one event: a server emits to one connected client (as our
// gateway does, `socket.emit` with connection state recovery on), with the Redis Streams adapter that lets
// a client resume on another server (every packet is appended to a stream before it is sent) beside
// Socket.IO's in-memory adapter, the minimal equivalent, in the same run and in interleaved rounds.
// Emit-to-receipt latency one event at a time, and a burst's rate. Needs Debian's redis-server.
import { createServer, type Server as HttpServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { createRedisConnection } from "../packages/engine/src/redis/connection";
import { redisServerAvailable, startRedisServer } from "../packages/engine/src/testing/redis-server";
import { epochMs, ms, printLatency, summarise } from "./lib/stats";

// Socket.IO is the server app's dependency: loaded from there (their CommonJS builds).
const fromServer = createRequire(new URL("../apps/server/package.json", import.meta.url));
type Emitter = {
  emit(name: string, ...args: unknown[]): unknown;
  on(name: string, listener: (...args: never[]) => void): unknown;
  once(name: string, listener: (...args: never[]) => void): unknown;
};
type IoServer = Emitter & { close(): Promise<void> | void };
type IoClient = Emitter & { disconnect(): void };
const { Server } = fromServer("socket.io") as { Server: new (http: HttpServer, options: object) => IoServer };
const { io } = fromServer("socket.io-client") as { io: (url: string, options: object) => IoClient };
const { createAdapter } = fromServer("@socket.io/redis-streams-adapter") as {
  createAdapter: (client: unknown, options?: object) => unknown;
};

const EVENTS = 1_000;
const BURST = 5_000;
const ROUNDS = 3;

type Side = { emit(n: number): void; received: (count: number) => Promise<number[]>; close(): Promise<void> };

async function side(adapter: unknown): Promise<Side> {
  const http = createServer();
  const server = new Server(http, {
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 120_000 },
    ...(adapter ? { adapter } : {}),
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const connected = new Promise<Emitter>((resolve) =>
    server.on("connection", (socket: Emitter) => resolve(socket)),
  );
  const client = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
    transports: ["websocket"],
  });
  const socket = await connected;
  let sink: ((latency: number) => void) | null = null;
  client.on("tick", (sentAt: number) => sink?.(epochMs() - sentAt));
  return {
    emit: (n) => {
      for (let i = 0; i < n; i++) socket.emit("tick", epochMs());
    },
    received: (count) =>
      new Promise((resolve) => {
        const samples: number[] = [];
        sink = (latency) => {
          samples.push(latency);
          if (samples.length === count) resolve(samples);
        };
      }),
    close: async () => {
      client.disconnect();
      await server.close();
    },
  };
}

async function measure(one: Side) {
  const sequential: number[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const got = one.received(1);
    one.emit(1);
    sequential.push(...(await got));
  }
  const burst = one.received(BURST);
  const started = performance.now();
  one.emit(BURST);
  await burst;
  return { sequential, perSecond: BURST / ((performance.now() - started) / 1000) };
}

export async function run(): Promise<void> {
  if (!(await redisServerAvailable())) {
    console.log("redis-server is not installed: skipped");
    return;
  }
  const redis = await startRedisServer();
  const client = createRedisConnection(redis.url);
  const sides = {
    "in-memory adapter (one server)": await side(null),
    "Redis Streams adapter (ours, scaled out)": await side(
      createAdapter(client, { streamName: "bench:sio" }),
    ),
  };
  const figures = new Map<string, { sequential: number[]; rates: number[] }>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, one] of Object.entries(sides)) {
        const { sequential, perSecond } = await measure(one);
        const kept = figures.get(label) ?? { sequential: [], rates: [] };
        kept.sequential.push(...sequential);
        kept.rates.push(perSecond);
        figures.set(label, kept);
      }
    }
    const [memory, redisSide] = [...figures.values()];
    for (const [label, { sequential, rates }] of figures) {
      printLatency(`${label}: emit → client`, summarise(sequential));
      const rate = rates.reduce((a, b) => a + b, 0) / rates.length;
      console.log(`${label.padEnd(44)} burst of ${BURST}: ${Math.round(rate)} events/s`);
    }
    if (memory && redisSide) {
      const p50 = (s: number[]) => summarise(s).p50;
      console.log(
        `Redis adapter / in-memory: p50 latency ${(p50(redisSide.sequential) / p50(memory.sequential)).toFixed(1)}× ` +
          `(${ms(p50(redisSide.sequential))} vs ${ms(p50(memory.sequential))}); no goal set, the price of resuming on another server`,
      );
    }
  } finally {
    for (const one of Object.values(sides)) await one.close();
    client.disconnect();
    await redis.stop();
  }
}
