// The event outbox on a real libSQL file and a real Redis stream: events committed with their change reach
// the stream once and in order; a rolled-back change sends none; rows a crash left behind are sent by the
// next relay, and a row sent again after a crash between the append and the delete is not delivered twice.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, type Database, migrateDatabase, schema } from "@crewdeck/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { redisServerAvailable, startRedisServer, type TestRedis } from "../testing/redis-server";
import { createEventOutbox, type EventOutbox, outboxPublisher, transactionWithEvents } from "./outbox";
import { createRedisEventBus } from "./redis-event-bus";
import type { AnyBusEvent } from "./types";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const errorEvent = (label: string) => ({
  type: "error" as const,
  scope: {},
  payload: { code: "TEST", message: label },
});
const labelOf = (event: AnyBusEvent) => (event.type === "error" ? event.payload.message : `<${event.type}>`);

describe.runIf(await redisServerAvailable())("event outbox to a Redis stream", () => {
  let redis: TestRedis;
  let dir: string;
  let db: Database;
  let streams = 0;
  const opened: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    dir = await mkdtemp(path.join(tmpdir(), "crewdeck-outbox-"));
    db = await createDatabase({ url: `file:${path.join(dir, "outbox.db")}` });
    await migrateDatabase(db);
  });
  afterEach(async () => {
    for (const one of opened.splice(0).reverse()) await one.close();
    await db.delete(schema.eventOutbox);
  });
  afterAll(async () => {
    db?.$client.close();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A process: its bus on the shared stream, its relay over the shared database, and what it delivers. */
  async function process(key: string, relay = true) {
    const bus = createRedisEventBus(redis.url, { key, blockMs: 200 });
    opened.push(bus);
    let outbox: EventOutbox | undefined;
    if (relay) {
      outbox = createEventOutbox(db, bus, { intervalMs: 50 });
      opened.push(outbox);
    }
    await sleep(50);
    const seen: string[] = [];
    bus.listen({}, (event) => seen.push(labelOf(event)));
    return { bus, outbox, seen, deps: { db, bus, outbox, now: () => new Date() } };
  }
  const until = async (seen: string[], count: number) => {
    for (let i = 0; i < 200 && seen.length < count; i++) await sleep(10);
    return seen;
  };

  it("sends what a transaction committed, in commit order, and nothing of one rolled back", async () => {
    const key = `test:outbox:${++streams}`;
    const one = await process(key);
    const two = await process(key);
    await transactionWithEvents(one.deps, async (_tx, events) => {
      await events.publish(errorEvent("a1"));
      await events.publish(errorEvent("a2"));
    });
    await expect(
      transactionWithEvents(two.deps, async (_tx, events) => {
        await events.publish(errorEvent("never"));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await transactionWithEvents(two.deps, async (_tx, events) => {
      await events.publish(errorEvent("b1"));
    });
    expect(await until(one.seen, 3)).toEqual(["a1", "a2", "b1"]);
    await sleep(300);
    expect(two.seen).toEqual(["a1", "a2", "b1"]);
    expect(await db.select().from(schema.eventOutbox)).toEqual([]);
  });

  it("sends what a crashed process committed but never relayed, once, and skips a row sent again", async () => {
    const key = `test:outbox:${++streams}`;
    // The crashed process: its changes committed with their events, its relay never ran.
    const crashed = await process(key, false);
    await db.transaction(async (tx) => {
      const events = outboxPublisher(tx, () => new Date());
      for (const label of ["c1", "c2", "c3"]) await events.publish(errorEvent(label));
    });
    // It had appended the first row when it died, before deleting it.
    const [first] = await db.select().from(schema.eventOutbox).orderBy(schema.eventOutbox.id).limit(1);
    await crashed.bus.publishFromOutbox(first?.id as number, errorEvent("c1"), new Date());
    expect(await until(crashed.seen, 1)).toEqual(["c1"]);

    // Another process's relay finds the rows left behind.
    await process(key);
    expect(await until(crashed.seen, 3)).toEqual(["c1", "c2", "c3"]);
    await sleep(300);
    expect(crashed.seen).toEqual(["c1", "c2", "c3"]);
    const replay: string[] = [];
    crashed.bus.listen({}, (event) => replay.push(labelOf(event)), { afterId: "0" });
    expect(await until(replay, 3)).toEqual(["c1", "c2", "c3"]);
    expect(await db.select().from(schema.eventOutbox)).toEqual([]);
  });
});
