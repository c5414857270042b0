// A step's tool calls announced while the Redis bus is away: the `agent_action` events (the call, then its
// result) are staged in the outbox with the step's checkpoints, the step goes on without waiting for the
// bus, and the events reach the stream, in order and once, when Redis is back.
import { schema } from "@crewdeck/db";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createEventOutbox, type EventOutbox } from "../events/outbox";
import { createRedisEventBus, type RedisEventBus } from "../events/redis-event-bus";
import type { AnyBusEvent } from "../events/types";
import { redisServerAvailable, startRedisServer, type TestRedis } from "../testing/redis-server";
import { CONTRACT_ANSWER, createRunWorld, type RunWorld } from "../testing/run-world";

const KEY = "test:tool-events";

describe.runIf(await redisServerAvailable())("a step's tool calls while the Redis bus is away", () => {
  let redis: TestRedis;
  let world: RunWorld;
  let bus: RedisEventBus;
  let outbox: EventOutbox;

  beforeAll(async () => {
    redis = await startRedisServer();
    world = await createRunWorld({
      events: (db) => {
        bus = createRedisEventBus(redis.url, { key: KEY, blockMs: 200 });
        outbox = createEventOutbox(db, bus, { intervalMs: 100 });
        return { bus, outbox };
      },
    });
  });
  afterAll(async () => {
    await world?.close();
    await outbox?.close();
    await bus?.close();
    await redis?.stop();
  });

  it("stages the call and its result with the step's checkpoints, and relays them once Redis is back", async () => {
    world.engine.tools.register({
      name: "lookup_order",
      description: "Reads an order by id",
      input: z.object({ id: z.string() }),
      roles: "all",
      execute: async (input) => ({ content: `Order ${input.id}: paid` }),
    });
    const task = await world.task("Look up order 42");
    world.fake.enqueue(
      { text: "Let me look.", toolUses: [{ id: "toolu_1", name: "lookup_order", input: { id: "42" } }] },
      { text: CONTRACT_ANSWER },
    );
    await redis.stop();

    const run = await world.start(task.id);
    await world.settle();
    expect((await world.read.run(run.id))?.status).toBe("completed");
    const o = schema.eventOutbox;
    const staged = await world.db.select().from(o).where(eq(o.type, "agent_action")).orderBy(asc(o.id));
    const actions = (rows: { payload: unknown }[]) =>
      rows.map((row) => {
        const { type, tool, content, runId } = row.payload as Record<string, string>;
        return [type, tool, content, runId];
      });
    expect(actions(staged)).toEqual([
      ["tool_call", "lookup_order", JSON.stringify({ id: "42" }), run.id],
      ["tool_result", "lookup_order", "Order 42: paid", run.id],
    ]);

    redis = await startRedisServer({ port: redis.port });
    const reader = createRedisEventBus(redis.url, { key: KEY, blockMs: 200 });
    try {
      const relayed: AnyBusEvent[] = [];
      const stop = new AbortController();
      const reading = (async () => {
        for await (const event of reader.subscribe(
          { types: ["agent_action"] },
          { afterId: "0", signal: stop.signal },
        )) {
          relayed.push(event);
          if (relayed.length === 2) stop.abort();
        }
      })();
      await reading;
      expect(actions(relayed)).toEqual(actions(staged));
      // Deleted from the outbox once on the stream.
      await expect
        .poll(() => world.db.select().from(o).where(eq(o.type, "agent_action")), { timeout: 5_000 })
        .toEqual([]);
    } finally {
      await reader.close();
    }
  }, 30_000);
});
