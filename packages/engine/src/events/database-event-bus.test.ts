// The event bus on a real libSQL file: ordering under concurrent publishes, replay, slow subscribers,
// retention and shutdown.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, type Database, migrateDatabase, schema } from "@crewdeck/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EventFilter } from "./bus";
import {
  createDatabaseEventBus,
  type DatabaseEventBus,
  type DatabaseEventBusOptions,
} from "./database-event-bus";
import type { AnyBusEvent, EventScope } from "./types";

let dir: string;
let db: Database;
const buses: DatabaseEventBus[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "crewdeck-bus-"));
  db = await createDatabase({ url: `file:${path.join(dir, "bus.db")}` });
  await migrateDatabase(db);
});

afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close();
});

afterAll(async () => {
  db.$client.close();
  await rm(dir, { recursive: true, force: true });
});

const newBus = (options: DatabaseEventBusOptions = {}) => {
  const bus = createDatabaseEventBus(db, options);
  buses.push(bus);
  return bus;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An error event whose message says which publish it was. */
const errorEvent = (label: string, scope: EventScope = {}) => ({
  type: "error" as const,
  scope,
  payload: { code: "TEST", message: label },
});

const labelOf = (event: AnyBusEvent) => (event.type === "error" ? event.payload.message : `<${event.type}>`);

/** Reads from a subscription in the background; `until` resolves once `count` events have arrived. */
function collect(
  bus: DatabaseEventBus,
  filter: EventFilter,
  opts: { afterId?: string | null; delayMs?: number } = {},
) {
  const controller = new AbortController();
  const events: AnyBusEvent[] = [];
  const iterable = bus.subscribe(filter, { afterId: opts.afterId, signal: controller.signal });
  const iterator = iterable[Symbol.asyncIterator]();
  const done = (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      events.push(next.value);
      if (opts.delayMs) await sleep(opts.delayMs);
    }
  })();
  const until = async (count: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) {
      if (Date.now() > deadline) throw new Error(`got ${events.length} of ${count} events`);
      await sleep(5);
    }
    return events;
  };
  return { events, until, stop: () => controller.abort(), done };
}

const ids = (events: AnyBusEvent[]) => events.map((e) => Number(e.id));
const isStrictlyRising = (values: number[]) => values.every((v, i) => i === 0 || v > (values[i - 1] ?? 0));

describe("database event bus", () => {
  it("stores an event and hands it to a live subscriber with its id and scope", async () => {
    const bus = newBus();
    const sub = collect(bus, {});
    const published = await bus.publish(errorEvent("hello"));
    const [received] = await sub.until(1);
    expect(received).toEqual(published);
    expect(published).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      type: "error",
      scope: { userId: null, projectId: null, conversationId: null, taskId: null },
      payload: { code: "TEST", message: "hello" },
      createdAt: expect.stringMatching(/Z$/),
    });
    const row = await db.query.events.findFirst({ where: (e, { eq }) => eq(e.id, Number(published.id)) });
    expect(row?.payload).toEqual({ code: "TEST", message: "hello" });
    sub.stop();
    await sub.done;
  });

  it("delivers concurrent publishes to every subscriber in id order, with no gap and no repeat", async () => {
    const bus = newBus();
    const early = collect(bus, {});
    const publishes = Array.from({ length: 300 }, (_, i) => bus.publish(errorEvent(`e${i}`)));
    // A second subscriber joins in the middle of the burst, replaying from an id it already knows.
    const first = await publishes[100];
    const late = collect(bus, {}, { afterId: first?.id });
    const published = await Promise.all(publishes);
    const expected = ids(published).sort((a, b) => a - b);

    expect(ids(await early.until(300))).toEqual(expected);
    const afterFirst = expected.filter((id) => id > Number(first?.id));
    expect(ids(await late.until(afterFirst.length))).toEqual(afterFirst);
    // Each publish resolved with the event the subscribers got.
    const byId = new Map(early.events.map((e) => [e.id, e]));
    for (const event of published) expect(byId.get(event.id)).toEqual(event);

    await bus.publish(errorEvent("one more"));
    await early.until(301);
    await late.until(afterFirst.length + 1);
    expect(isStrictlyRising(ids(early.events))).toBe(true);
    expect(isStrictlyRising(ids(late.events))).toBe(true);
    early.stop();
    late.stop();
  });

  it("replays the backlog page by page, then goes live without a seam", async () => {
    const bus = newBus({ pageSize: 7 });
    const marker = await bus.publish(errorEvent("marker"));
    const backlog: AnyBusEvent[] = [];
    for (let i = 0; i < 30; i++) backlog.push(await bus.publish(errorEvent(`old${i}`)));
    const sub = collect(bus, {}, { afterId: marker.id });
    const live = await Promise.all(Array.from({ length: 10 }, (_, i) => bus.publish(errorEvent(`new${i}`))));
    const got = await sub.until(40);
    expect(got.map(labelOf)).toEqual([...backlog, ...live].map(labelOf));
    expect(isStrictlyRising(ids(got))).toBe(true);
    sub.stop();
  });

  it("starts a subscription without afterId at the next event", async () => {
    const bus = newBus();
    await bus.publish(errorEvent("before"));
    const sub = collect(bus, {});
    await bus.publish(errorEvent("after"));
    expect((await sub.until(1)).map(labelOf)).toEqual(["after"]);
    await sleep(50);
    expect(sub.events).toHaveLength(1);
    sub.stop();
  });

  it("filters by scope fields and types, live and in the backlog", async () => {
    const bus = newBus();
    const marker = await bus.publish(errorEvent("marker"));
    const byType = collect(bus, { types: ["message_delta"] });
    await bus.publish(errorEvent("not a delta"));
    await bus.publish({
      type: "message_delta",
      scope: {},
      payload: { messageId: "m1", conversationId: "c1", delta: "Hel" },
    });
    await bus.publish(errorEvent("still not a delta"));
    const [delta] = await byType.until(1);
    expect(delta?.type).toBe("message_delta");
    const replayed = collect(bus, { types: ["error"] }, { afterId: marker.id });
    expect((await replayed.until(2)).map(labelOf)).toEqual(["not a delta", "still not a delta"]);
    await sleep(50);
    expect(byType.events).toHaveLength(1);
    expect(replayed.events).toHaveLength(2);
    byType.stop();
    replayed.stop();
  });

  it("lets a slow subscriber fall behind without buffering more than its limit, then catches it up from the table", async () => {
    const bus = newBus({ queueLimit: 10, pageSize: 25 });
    const fast = collect(bus, {});
    // The slow one takes one event, then stops reading while 200 more are published.
    const slow = bus.subscribe({})[Symbol.asyncIterator]();
    const firstRead = slow.next();
    const first = await bus.publish(errorEvent("first"));
    expect((await firstRead).value).toEqual(first);
    const published: AnyBusEvent[] = [];
    let maxBuffered = 0;
    for (let round = 0; round < 20; round++) {
      published.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) => bus.publish(errorEvent(`r${round}.${i}`))),
        )),
      );
      maxBuffered = Math.max(maxBuffered, bus.stats().bufferedEvents);
    }
    const expected = ids(published).sort((a, b) => a - b);
    expect(ids(await fast.until(201))).toEqual([Number(first.id), ...expected]);
    // Ten for each of the two subscribers at most, though the slow one is 200 behind.
    expect(maxBuffered).toBeLessThanOrEqual(20);

    const caughtUp: AnyBusEvent[] = [];
    while (caughtUp.length < 200) {
      const next = await slow.next();
      if (next.done) break;
      caughtUp.push(next.value);
    }
    expect(ids(caughtUp)).toEqual(expected);
    // And it is live again afterwards.
    const live = slow.next();
    const last = await bus.publish(errorEvent("last"));
    expect((await live).value).toEqual(last);
    await slow.return?.();
    fast.stop();
  });

  it("rejects only the event that cannot be stored when a batch fails", async () => {
    const bus = newBus();
    const sub = collect(bus, {});
    const results = await Promise.allSettled([
      bus.publish(errorEvent("a")),
      // No such conversation: the foreign key refuses the row.
      bus.publish(errorEvent("orphan", { conversationId: "no-such-conversation" })),
      bus.publish(errorEvent("b")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await sub.until(2)).map(labelOf)).toEqual(["a", "b"]);
    sub.stop();
  });

  it("trims expired events (stream chunks sooner), and never reuses an id", async () => {
    await db.delete(schema.events);
    let clock = Date.now();
    const bus = newBus({
      now: () => new Date(clock),
      retentionMs: 24 * 3_600_000,
      shortLivedRetentionMs: 3_600_000,
    });
    await bus.trim();
    const kept = await bus.publish(errorEvent("kept"));
    const delta = await bus.publish({
      type: "message_delta",
      scope: {},
      payload: { messageId: "m", conversationId: "c", delta: "x" },
    });
    const exists = async (id: string) =>
      (await db.query.events.findFirst({ where: (e, { eq }) => eq(e.id, Number(id)) })) !== undefined;

    expect(await bus.trim()).toBe(0);
    clock += 2 * 3_600_000;
    expect(await bus.trim()).toBe(1);
    expect(await exists(delta.id)).toBe(false);
    expect(await exists(kept.id)).toBe(true);

    clock += 23 * 3_600_000;
    expect(await bus.trim()).toBeGreaterThanOrEqual(1);
    expect(await db.$count(schema.events)).toBe(0);
    // AUTOINCREMENT: a client holding the old id still resumes correctly.
    const next = await bus.publish(errorEvent("after the trim"));
    expect(Number(next.id)).toBeGreaterThan(Number(delta.id));
  });

  it("ends a subscription on abort, on return(), and on close(), and frees it", async () => {
    const bus = newBus();
    const aborted = collect(bus, {});
    expect(bus.stats().subscribers).toBe(1);
    aborted.stop();
    await aborted.done;
    expect(bus.stats().subscribers).toBe(0);

    // return() while waiting for an event ends the wait at once.
    const iterator = bus.subscribe({})[Symbol.asyncIterator]();
    const waiting = iterator.next();
    expect(bus.stats().subscribers).toBe(1);
    await iterator.return?.();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(bus.stats().subscribers).toBe(0);

    // A subscription that was never read is freed by return() too.
    const unread = bus.subscribe({})[Symbol.asyncIterator]();
    expect(bus.stats().subscribers).toBe(1);
    await unread.return?.();
    expect(bus.stats().subscribers).toBe(0);

    const open = collect(bus, {});
    const inFlight = bus.publish(errorEvent("in flight"));
    await bus.close();
    await open.done;
    expect(bus.stats().subscribers).toBe(0);
    await expect(inFlight).resolves.toMatchObject({ type: "error" });
    await expect(bus.publish(errorEvent("too late"))).rejects.toThrow(/closed/);
  });

  it("refuses an afterId that is not an event id", () => {
    const bus = newBus();
    expect(() => bus.subscribe({}, { afterId: "abc" })).toThrow(/Not an event id/);
  });
});
