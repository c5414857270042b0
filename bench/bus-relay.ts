// The event bus alone: publish → subscriber latency on an embedded libSQL file, one event at a time and
// in bursts, with one subscriber and with many.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, migrateDatabase } from "../packages/db/src/index";
import {
  createDatabaseEventBus,
  type DatabaseEventBus,
} from "../packages/engine/src/events/database-event-bus";
import { epochMs, printLatency, summarise } from "./lib/stats";

const SEQUENTIAL = 2_000;
const BURST = 5_000;
const MANY_SUBSCRIBERS = 100;

/** Subscribers that record, for every event, how long after its publish call they got it. */
function listen(bus: DatabaseEventBus, subscribers: number, expected: number) {
  const samples: number[] = [];
  const finished = Array.from({ length: subscribers }, async () => {
    let seen = 0;
    for await (const event of bus.subscribe({ types: ["error"] })) {
      if (event.type === "error") samples.push(epochMs() - Number(event.payload.message));
      if (++seen === expected) return;
    }
  });
  return { samples, done: Promise.all(finished) };
}

const publishNow = (bus: DatabaseEventBus) =>
  bus.publish({ type: "error", scope: {}, payload: { code: "BENCH", message: String(epochMs()) } });

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "crewdeck-bench-bus-"));
  const db = await createDatabase({ url: `file:${path.join(dir, "bench.db")}` });
  await migrateDatabase(db);
  const bus = createDatabaseEventBus(db);
  try {
    for (const [label, subscribers] of [
      ["sequential publishes, 1 subscriber", 1],
      [`sequential publishes, ${MANY_SUBSCRIBERS} subscribers`, MANY_SUBSCRIBERS],
    ] as const) {
      const listener = listen(bus, subscribers, SEQUENTIAL);
      for (let i = 0; i < SEQUENTIAL; i++) await publishNow(bus);
      await listener.done;
      printLatency(label, summarise(listener.samples));
    }

    for (const subscribers of [1, MANY_SUBSCRIBERS]) {
      const listener = listen(bus, subscribers, BURST);
      const started = performance.now();
      await Promise.all(Array.from({ length: BURST }, () => publishNow(bus)));
      const publishedIn = performance.now() - started;
      await listener.done;
      printLatency(`burst of ${BURST}, ${subscribers} subscriber(s)`, summarise(listener.samples));
      console.log(
        `${"".padEnd(44)} ${Math.round(BURST / (publishedIn / 1000))} events/s stored and delivered (batched inserts)`,
      );
    }
  } finally {
    await bus.close();
    db.$client.close();
    await rm(dir, { recursive: true, force: true });
  }
}
