// The event bus on a real Redis stream (Debian's redis-server on a free port): two buses on one stream stand
// for two server processes. Ordering under concurrent publishes, replay from any process, retention and
// the ids it refuses, relayed outbox rows appended once, and shutdown.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRedisConnection } from "../redis/connection";
import { redisServerAvailable, startRedisServer, type TestRedis } from "../testing/redis-server";
import type { EventFilter } from "./bus";
import { EventIdError } from "./bus";
import { createRedisEventBus, type RedisEventBus, type RedisEventBusOptions } from "./redis-event-bus";
import type { AnyBusEvent } from "./types";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const errorEvent = (label: string, scope: { projectId?: string } = {}) => ({
  type: "error" as const,
  scope,
  payload: { code: "TEST", message: label },
});
const labelOf = (event: AnyBusEvent) => (event.type === "error" ? event.payload.message : `<${event.type}>`);

/** Pushed events of one listener; `until` resolves once `count` have arrived. */
function gather(bus: RedisEventBus, filter: EventFilter = {}, afterId?: string) {
  const events: AnyBusEvent[] = [];
  const errors: unknown[] = [];
  const controller = new AbortController();
  bus.listen(filter, (event) => events.push(event), {
    afterId,
    signal: controller.signal,
    onError: (error) => errors.push(error),
  });
  const until = async (count: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (events.length < count) {
      if (errors.length > 0) throw errors[0];
      if (Date.now() > deadline) throw new Error(`got ${events.length} of ${count} events`);
      await sleep(5);
    }
    return events.map(labelOf);
  };
  return { events, errors, until, stop: () => controller.abort() };
}

describe.runIf(await redisServerAvailable())("Redis Streams event bus", () => {
  let redis: TestRedis;
  const buses: RedisEventBus[] = [];
  let streams = 0;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    for (const bus of buses.splice(0)) await bus.close();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  /** Buses made by one call of `pair` share a fresh stream, as the processes of one deployment do. */
  const busesOn = (key: string, count: number, options: RedisEventBusOptions = {}) =>
    Array.from({ length: count }, () => {
      const bus = createRedisEventBus(redis.url, { key, blockMs: 200, ...options });
      buses.push(bus);
      return bus;
    });
  const pair = (options: RedisEventBusOptions = {}) => busesOn(`test:events:${++streams}`, 2, options);

  it("delivers every event to the listeners of every process, once, in one order", async () => {
    const [one, two] = pair() as [RedisEventBus, RedisEventBus];
    await sleep(50);
    const onOne = gather(one);
    const onTwo = gather(two);
    // Both processes publish at once.
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? one : two).publish(errorEvent(`e${i}`))),
    );
    const seenOne = await onOne.until(100);
    const seenTwo = await onTwo.until(100);
    expect(seenOne).toEqual(seenTwo);
    expect(new Set(seenOne).size).toBe(100);
    // Each process's own publishes keep their order.
    const evens = seenOne.filter((l) => Number(l.slice(1)) % 2 === 0);
    expect(evens).toEqual(Array.from({ length: 50 }, (_, i) => `e${i * 2}`));
    await sleep(300);
    expect(onOne.events).toHaveLength(100);
    expect(onOne.events.map((e) => e.id)).toEqual(onTwo.events.map((e) => e.id));
  });

  it("replays after an id on another process, with no gap and no repeat, and filters", async () => {
    const [one, two] = pair() as [RedisEventBus, RedisEventBus];
    const published: AnyBusEvent[] = [];
    for (let i = 0; i < 20; i++)
      published.push(await one.publish(errorEvent(`r${i}`, { projectId: i % 2 ? "odd" : "even" })));
    const fifth = published[4]?.id as string;

    // Replay on the other process while publishing goes on.
    const resumed = gather(two, {}, fifth);
    const during = (async () => {
      for (let i = 20; i < 30; i++) await one.publish(errorEvent(`r${i}`));
    })();
    await during;
    const labels = await resumed.until(25);
    expect(labels).toEqual(Array.from({ length: 25 }, (_, i) => `r${i + 5}`));
    await sleep(300);
    expect(resumed.events).toHaveLength(25);

    // Replay with a filter, through the pull form, from the start of the stream.
    const controller = new AbortController();
    const iterator = two
      .subscribe({ projectId: "odd" }, { afterId: "0", signal: controller.signal })
      [Symbol.asyncIterator]();
    const odd: string[] = [];
    for (let i = 0; i < 10; i++) odd.push(labelOf((await iterator.next()).value as AnyBusEvent));
    expect(odd).toEqual(Array.from({ length: 10 }, (_, i) => `r${i * 2 + 1}`));
    controller.abort();
    expect((await iterator.next()).done).toBe(true);
  });

  it("keeps the stream bounded, and refuses a resume id whose next events were trimmed", async () => {
    const [one, two] = pair({ retention: { maxLen: 10 } }) as [RedisEventBus, RedisEventBus];
    const published: AnyBusEvent[] = [];
    for (let i = 0; i < 500; i++) published.push(await one.publish(errorEvent(`t${i}`)));
    const check = createRedisConnection(redis.url);
    try {
      // MAXLEN ~ trims whole macro nodes: about the bound, never unbounded.
      expect(await check.xlen(`test:events:${streams}`)).toBeLessThan(250);
    } finally {
      check.disconnect();
    }
    const first = published[0]?.id as string;
    await expect(two.checkResumeId(first)).rejects.toBeInstanceOf(EventIdError);
    await expect(two.checkResumeId(first)).rejects.toMatchObject({ reason: "expired" });
    // Replaying from it ends with the same error rather than a silent gap.
    const replay = gather(two, {}, first);
    await expect(replay.until(1)).rejects.toBeInstanceOf(EventIdError);
    // The newest id is fine, and so is the stream's start when nothing was trimmed.
    await expect(two.checkResumeId(published.at(-1)?.id as string)).resolves.toBeUndefined();
    // Not an id of this bus at all, or one it never handed out.
    await expect(two.checkResumeId("abc")).rejects.toMatchObject({ reason: "malformed" });
    await expect(two.checkResumeId("99999999999999-0")).rejects.toMatchObject({ reason: "expired" });
  });

  it("trims entries past their age", async () => {
    let clock = Date.now();
    const [one] = pair({ retention: { maxAgeMs: 60_000 }, now: () => new Date(clock) }) as [RedisEventBus];
    for (let i = 0; i < 5; i++) await one.publish(errorEvent(`a${i}`));
    expect(await one.trim()).toBe(0);
    clock += 120_000;
    // Stream ids take Redis's clock, so an entry's age is measured against ids at or after `now - age`.
    const check = createRedisConnection(redis.url);
    try {
      await check.xadd(`test:events:${streams}`, `${clock}-0`, "e", JSON.stringify({}));
      expect(await one.trim()).toBe(5);
    } finally {
      check.disconnect();
    }
  });

  it("appends a relayed outbox row once, even when a crashed relay sends it again", async () => {
    const [one, two] = pair() as [RedisEventBus, RedisEventBus];
    await sleep(50);
    const seen = gather(two);
    const at = new Date();
    expect(await one.appendOnce(1, errorEvent("o1"), at)).toMatch(/^\d+-\d+$/);
    expect(await one.appendOnce(2, errorEvent("o2"), at)).toMatch(/^\d+-\d+$/);
    // Sent again after a crash (by this process or another): skipped.
    expect(await two.appendOnce(2, errorEvent("o2"), at)).toBeNull();
    expect(await one.appendOnce(1, errorEvent("o1"), at)).toBeNull();
    expect(await two.appendOnce(3, errorEvent("o3"), at)).toMatch(/^\d+-\d+$/);
    expect(await seen.until(3)).toEqual(["o1", "o2", "o3"]);
    await sleep(300);
    expect(seen.events).toHaveLength(3);
  });

  it("reports its health, and ends its listeners when it closes", async () => {
    const [one] = pair() as [RedisEventBus];
    expect(await one.health()).toBe("up");
    let closedCalls = 0;
    one.listen({}, () => {}, { onClosed: () => closedCalls++ });
    expect(one.stats().subscribers).toBe(1);
    await one.close();
    expect(closedCalls).toBe(1);
    expect(one.stats().subscribers).toBe(0);
    expect(await one.health()).toBe("down");
    await expect(one.publish(errorEvent("late"))).rejects.toThrow(/closed/);
  });
});
