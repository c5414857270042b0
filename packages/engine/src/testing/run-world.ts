// For tests of runs and their steps: the engine's test world with the model catalog, the fake Anthropic
// on 127.0.0.1 as the configured provider, and the engine built as the server builds it (in-process step
// executor, default tools), plus a task in the project "Website" to run and readers for what a run stores.
import { type Database, schema } from "@crewdeck/db";
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, expect } from "vitest";
import { createEngine } from "../create-engine";
import type { Engine } from "../engine";
import type { EventBus } from "../events/bus";
import type { EventOutbox } from "../events/outbox";
import { seedModelCatalog } from "../models/catalog";
import { createProviderRegistry } from "../providers/registry";
import { startRun } from "../runs/start-run";
import { startFakeAnthropic } from "./fake-anthropic";
import { createTestWorld } from "./test-world";

/** An answer that keeps the output contract of the world's agents (senior developers). */
export const CONTRACT_ANSWER = `## Summary\nImplemented the endpoint.\n\n\`\`\`json\n${JSON.stringify(
  {
    summary: "Added the one-click endpoint",
    changes: [{ path: "src/checkout.ts", description: "one-click path" }],
    tests: ["checkout.test.ts passes"],
    pullRequest: null,
    unsure: [],
  },
  null,
  2,
)}\n\`\`\``;

/** The engines' step leases in these tests. */
export const STEP_LEASE = { leaseMs: 1_000, heartbeatMs: 100 };

export type RunWorld = Awaited<ReturnType<typeof createRunWorld>>;

const API_KEY = "sk-ant-engine-tests";
/** The model the world's agents use. */
export const MODEL = "claude-sonnet-4-6";

/**
 * `events`: the bus (and outbox) the world's engines publish to, over the world's database, instead of the
 * recording bus (the Redis bus, for a test of what happens while Redis is away).
 */
export async function createRunWorld(
  options: { events?: (db: Database) => { bus: EventBus; outbox?: EventOutbox } } = {},
) {
  const world = await createTestWorld(new Date());
  const events = options.events?.(world.db);
  const fake = await startFakeAnthropic({ apiKey: API_KEY });
  await seedModelCatalog(world.db);
  // A current model, so the SDK does not warn of a deprecated one in every test's output.
  await world.db
    .update(schema.agents)
    .set({ modelConfig: { model: MODEL, temperature: 0.2, maxTokens: 4096 } });
  const engines: Engine[] = [];
  /** An engine over the world's database, bus and fake, as one server process builds it at start-up. */
  const startEngine = (): Engine => {
    const engine = createEngine({
      ...world.deps,
      ...events,
      // Short, so a test whose process "dies" waits out its leases in a second rather than half a minute.
      stepLease: STEP_LEASE,
      // Message times come from the database's clock, and a step hears the words posted after it started.
      now: () => new Date(),
      providers: createProviderRegistry({
        db: world.db,
        secret: "engine-tests-secret-engine-tests-secret",
        env: { anthropicApiKey: API_KEY, anthropicBaseUrl: fake.url },
        clientOptions: { maxRetries: 0 },
      }),
      readFile: async (storedName) => {
        throw new Error(`engine tests store no files (asked for ${storedName})`);
      },
    });
    engines.push(engine);
    return engine;
  };
  const engine = startEngine();
  const { owner } = world.users;
  const { ada } = world.agents;

  /** A task of the owner's in "Website", with its conversation, as the API creates it. */
  const task = async (title = "One-click checkout") => {
    const [row] = await world.db
      .insert(schema.tasks)
      .values({ projectId: world.projects.website.id, createdById: owner.id, title })
      .returning();
    const [conversation] = await world.db
      .insert(schema.conversations)
      .values({ projectId: row!.projectId, createdById: owner.id, title, type: "task", taskId: row!.id })
      .returning();
    const [linked] = await world.db
      .update(schema.tasks)
      .set({ conversationId: conversation!.id })
      .where(eq(schema.tasks.id, row!.id))
      .returning();
    return linked!;
  };

  /** Starts a one-step run of `agentId` (Ada by default) on the task, as the owner. */
  const start = (taskId: string, agentId = ada.id) =>
    startRun(engine, { taskId, userId: owner.id, pipeline: [agentId] });

  /** A chat in "Website" with the agent Ada in it, and the owner's message `content` in it. */
  const chatAsked = async (content: string) => {
    const [conversation] = await world.db
      .insert(schema.conversations)
      .values({ projectId: world.projects.website.id, createdById: owner.id, title: "Chat" })
      .returning();
    await world.db
      .insert(schema.conversationAgents)
      .values({ conversationId: conversation!.id, agentId: world.agents.ada.id });
    const [asked] = await world.db
      .insert(schema.messages)
      .values({ conversationId: conversation!.id, authorType: "user", userId: owner.id, content })
      .returning();
    return { conversation: conversation!, asked: asked! };
  };

  const read = {
    run: async (runId: string) => world.db.query.runs.findFirst({ where: eq(schema.runs.id, runId) }),
    steps: (runId: string) =>
      world.db.query.runSteps.findMany({
        where: eq(schema.runSteps.runId, runId),
        orderBy: asc(schema.runSteps.stepIndex),
      }),
    task: async (taskId: string) => world.db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) }),
    message: async (messageId: string) =>
      world.db.query.messages.findFirst({ where: eq(schema.messages.id, messageId) }),
    usage: (runId: string) =>
      world.db.query.usageRecords.findMany({
        where: eq(schema.usageRecords.runId, runId),
        orderBy: [asc(schema.usageRecords.createdAt), asc(schema.usageRecords.id)],
      }),
    logs: async (runId: string) =>
      (
        await world.db.query.runLogs.findMany({
          where: eq(schema.runLogs.runId, runId),
          orderBy: [asc(schema.runLogs.createdAt), asc(schema.runLogs.id)],
        })
      ).map((l) => ({ level: l.level, message: l.message })),
  };

  return {
    ...world,
    fake,
    engine,
    /** A second engine over the same data, as the server started again after a crash would be. */
    startEngine,
    task,
    start,
    chatAsked,
    read,
    /**
     * Makes `dying` behave as a process that died: it renews no lease from now on, and this resolves once
     * its leases have run out (its hung calls stay hung, as a dead process's would).
     */
    crash: async (dying: Engine) => {
      dying.leases.stop();
      await new Promise((resolve) => setTimeout(resolve, STEP_LEASE.leaseMs + 100));
    },
    /** Waits until no step is running or queued. */
    settle: () => engine.steps.idle(),
    /** The Messages API requests the fake received, in order. */
    modelCalls: () => fake.requests.filter((r) => r.path.endsWith("/messages")),
    close: async () => {
      // Calls left hanging (a "dead" engine's) end now, so nothing writes to the database once it is gone.
      for (const e of engines) e.calls.abort({ all: true }, "test world closing");
      for (const e of engines) await e.steps.close();
      await fake.close();
      await world.close();
    },
  };
}

/**
 * Gives each test of the file a fresh world (handed to `use`), closed after the test, which passes only if
 * the engine logged no errors.
 */
export function freshRunWorldForEachTest(use: (world: RunWorld) => void): void {
  let world: RunWorld;
  beforeEach(async () => {
    world = await createRunWorld();
    use(world);
  });
  afterEach(async () => {
    expect(world.errors).toEqual([]);
    await world.close();
  });
}
