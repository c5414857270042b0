// The Redis Streams event bus across two "processes" (two buses on one stream): publish on one →
// delivered by the other's XREAD loop, next to a minimal hand-written equivalent (one connection doing
// XADD, another in an XREAD BLOCK loop) in the same run, in interleaved rounds. Needs Debian's
// redis-server (skipped without it).

import { createRedisEventBus } from "../packages/engine/src/events/redis-event-bus";
import { createRedisConnection } from "../packages/engine/src/redis/connection";
import { redisServerAvailable, startRedisServer } from "../packages/engine/src/testing/redis-server";
import { epochMs, type LatencySummary, ms, printLatency, summarise } from "./lib/stats";

const EVENTS = 1_000;
const BURST = 5_000;
const ROUNDS = 3;

type Side = {
  /** Publishes one event carrying its publish time; resolves once the log has it. */
  publish(): Promise<unknown>;
  /** Resolves with each event's publish-to-delivery latency once `count` arrived. */
  receive(count: number): Promise<number[]>;
  close(): Promise<void>;
};

function ours(url: string, key: string): Side {
  const publisher = createRedisEventBus(url, { key, blockMs: 1_000, retention: { maxLen: 100_000 } });
  const subscriber = createRedisEventBus(url, { key, blockMs: 1_000, retention: { maxLen: 100_000 } });
  let sink: ((latency: number) => void) | null = null;
  subscriber.listen({ types: ["error"] }, (event) => {
    if (event.type === "error") sink?.(epochMs() - Number(event.payload.message));
  });
  return {
    publish: () =>
      publisher.publish({ type: "error", scope: {}, payload: { code: "BENCH", message: String(epochMs()) } }),
    receive: (count) =>
      new Promise((resolve) => {
        const samples: number[] = [];
        sink = (latency) => {
          samples.push(latency);
          if (samples.length === count) resolve(samples);
        };
      }),
    close: async () => {
      await publisher.close();
      await subscriber.close();
    },
  };
}

/** The least a Redis Streams relay can be: XADD on one connection, XREAD BLOCK from `$` on another. */
function minimal(url: string, key: string): Side {
  const writer = createRedisConnection(url);
  const reader = createRedisConnection(url);
  // Set by `receive`, read by the loop (a cast, or the loop's closure would see only its initial null).
  let sink = null as ((latency: number) => void) | null;
  let last = "$";
  let open = true;
  void (async () => {
    while (open) {
      const found = (await reader
        .xread("COUNT", 500, "BLOCK", 1_000, "STREAMS", key, last)
        .catch(() => null)) as [string, [string, string[]][]][] | null;
      for (const [, entries] of found ?? []) {
        for (const [id, fields] of entries) {
          last = id;
          const body = JSON.parse(fields[1] ?? "{}") as { payload: { message: string } };
          sink?.(epochMs() - Number(body.payload.message));
        }
      }
    }
  })();
  return {
    publish: () =>
      writer.xadd(
        key,
        "MAXLEN",
        "~",
        "100000",
        "*",
        "e",
        JSON.stringify({ type: "error", scope: {}, payload: { code: "BENCH", message: String(epochMs()) } }),
      ),
    receive: (count) =>
      new Promise((resolve) => {
        const samples: number[] = [];
        sink = (latency) => {
          samples.push(latency);
          if (samples.length === count) resolve(samples);
        };
      }),
    close: async () => {
      open = false;
      reader.disconnect();
      writer.disconnect();
    },
  };
}

async function measure(side: Side) {
  const sequential = side.receive(EVENTS);
  for (let i = 0; i < EVENTS; i++) await side.publish();
  const seq = await sequential;
  const burst = side.receive(BURST);
  const started = performance.now();
  await Promise.all(Array.from({ length: BURST }, () => side.publish()));
  const burstSamples = await burst;
  const perSecond = BURST / ((performance.now() - started) / 1000);
  return { seq, burstSamples, perSecond };
}

export async function run(): Promise<void> {
  if (!(await redisServerAvailable())) {
    console.log("redis-server is not installed: skipped");
    return;
  }
  const redis = await startRedisServer();
  const figures = {
    ours: { seq: [] as number[], burst: [] as number[], rate: [] as number[] },
    minimal: { seq: [] as number[], burst: [] as number[], rate: [] as number[] },
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, make] of [
        ["ours", ours],
        ["minimal", minimal],
      ] as const) {
        const side = make(redis.url, `bench:${name}:${round}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const { seq, burstSamples, perSecond } = await measure(side);
        figures[name].seq.push(...seq);
        figures[name].burst.push(...burstSamples);
        figures[name].rate.push(perSecond);
        await side.close();
      }
    }
  } finally {
    await redis.stop();
  }
  const line = (label: string, a: LatencySummary, b: LatencySummary) => {
    printLatency(`${label}, Crewdeck bus`, a);
    printLatency(`${label}, minimal XADD/XREAD`, b);
    console.log(
      `${"".padEnd(44)} ratio p50 ${(a.p50 / b.p50).toFixed(2)}, p99 ${(a.p99 / b.p99).toFixed(2)}`,
    );
  };
  line("publish → other process, sequential", summarise(figures.ours.seq), summarise(figures.minimal.seq));
  line(`burst of ${BURST}`, summarise(figures.ours.burst), summarise(figures.minimal.burst));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  console.log(
    `burst throughput: Crewdeck ${Math.round(mean(figures.ours.rate))} events/s, minimal ${Math.round(mean(figures.minimal.rate))} events/s (ratio ${(mean(figures.ours.rate) / mean(figures.minimal.rate)).toFixed(2)}); sequential p50 ${ms(summarise(figures.ours.seq).p50)}`,
  );
}
