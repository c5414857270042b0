// The engine's own tests start from here: a real database on a temporary libSQL file with a few people,
// projects and agents, and an event bus that keeps what was published (a real implementation of the
// interface, in memory). Tests that reach a model add the fake provider and the engine (run-world.ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, type Database, type Executor, migrateDatabase, schema } from "@crewdeck/db";
import type { BudgetSubject } from "../budgets/covering-limits";
import type { EngineDeps, EngineLogger } from "../engine-deps";
import type { EventBus } from "../events/bus";
import type { AnyBusEvent, EventInput, EventType } from "../events/types";
import type { ProviderRegistry } from "../providers/types";

/** Keeps every event in order; subscriptions replay what was kept and end (nothing here waits for more). */
export class RecordingBus implements EventBus {
  readonly events: AnyBusEvent[] = [];
  /** Set to make `publish` fail, as a bus that lost its store would. */
  failing = false;

  async publish<T extends EventType>(event: EventInput<T>): Promise<AnyBusEvent> {
    if (this.failing) throw new Error("event store unavailable");
    const stored = {
      id: String(this.events.length + 1).padStart(12, "0"),
      type: event.type,
      scope: {
        userId: event.scope.userId ?? null,
        projectId: event.scope.projectId ?? null,
        conversationId: event.scope.conversationId ?? null,
        taskId: event.scope.taskId ?? null,
      },
      payload: event.payload,
      createdAt: new Date().toISOString(),
    } as AnyBusEvent;
    this.events.push(stored);
    return stored;
  }

  async *subscribe(): AsyncIterable<AnyBusEvent> {
    yield* [...this.events];
  }

  listen(_filter: unknown, sink: (event: AnyBusEvent) => void): void {
    for (const event of [...this.events]) sink(event);
  }

  async publishFromOutbox(_outboxId: number, event: EventInput): Promise<void> {
    await this.publish(event);
  }

  async checkResumeId(): Promise<void> {}

  async health(): Promise<"up" | "down"> {
    return this.failing ? "down" : "up";
  }

  async close(): Promise<void> {}

  ofType<T extends EventType>(type: T) {
    return this.events.filter((e): e is Extract<AnyBusEvent, { type: T }> => e.type === type);
  }
}

/** Without the fake provider no test reaches a model; any attempt is a test failure. */
const noProviders: ProviderRegistry = {
  get: async (provider) => {
    throw new Error(`this test world has no model provider (asked for ${provider})`);
  },
  configured: async () => ({}),
};

export type TestWorld = Awaited<ReturnType<typeof createTestWorld>>;

/**
 * An admin, a project owner, a maintainer and an outsider; the owner's project "Website" with two agents,
 * and the outsider's project "Elsewhere" with one. `now` is a Wednesday at noon (UTC) unless given.
 */
export async function createTestWorld(now = new Date("2026-03-11T12:00:00.000Z")) {
  const dir = await mkdtemp(path.join(tmpdir(), "crewdeck-engine-"));
  const db: Database = await createDatabase({ url: `file:${path.join(dir, "test.db")}` });
  await migrateDatabase(db);

  const user = async (name: string, role = "user") => {
    const [row] = await db
      .insert(schema.users)
      .values({ name, email: `${name}@example.test`, role })
      .returning();
    return row!;
  };
  const admin = await user("admin", "admin");
  const owner = await user("owner");
  const maintainer = await user("maintainer");
  const outsider = await user("outsider");

  const project = async (name: string, ownerId: string) => {
    const [row] = await db.insert(schema.projects).values({ name, ownerId }).returning();
    await db.insert(schema.projectMembers).values({ projectId: row!.id, userId: ownerId, role: "owner" });
    return row!;
  };
  const website = await project("Website", owner.id);
  await db
    .insert(schema.projectMembers)
    .values({ projectId: website.id, userId: maintainer.id, role: "maintainer" });
  const elsewhere = await project("Elsewhere", outsider.id);

  const agent = async (projectId: string, name: string) => {
    const [row] = await db
      .insert(schema.agents)
      .values({
        projectId,
        name,
        role: "senior-developer",
        modelConfig: { model: "claude-sonnet-4-5", temperature: 0.2, maxTokens: 4096 },
      })
      .returning();
    return row!;
  };
  const ada = await agent(website.id, "Ada");
  const linus = await agent(website.id, "Linus");
  const remote = await agent(elsewhere.id, "Remote");

  const bus = new RecordingBus();
  const errors: { message: string; error: unknown }[] = [];
  const logger: EngineLogger = {
    info: () => {},
    error: (message, error) => void errors.push({ message, error }),
  };
  const clock = { now };
  const deps: EngineDeps = { db, bus, providers: noProviders, now: () => clock.now, logger };

  /** A limit, active unless said otherwise. */
  const limit = async (
    values: Partial<typeof schema.budgetLimits.$inferInsert> & { amountMicros: number },
  ) => {
    const [row] = await db
      .insert(schema.budgetLimits)
      .values({ name: "Limit", scopeType: "global", period: "daily", actionOnExceed: "block", ...values })
      .returning();
    return row!;
  };

  /** A usage record as the metered call writes it, at `clock.now` unless `at` is given; in `tx` if given. */
  const usage = async (
    costMicros: number,
    on: { userId: string; projectId?: string | null; agentId?: string | null },
    options: { at?: Date; tx?: Executor } = {},
  ) => {
    await (options.tx ?? db).insert(schema.usageRecords).values({
      userId: on.userId,
      projectId: on.projectId ?? null,
      agentId: on.agentId ?? null,
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      costMicros,
      outcome: "success",
      createdAt: options.at ?? clock.now,
    });
  };

  return {
    db,
    deps,
    bus,
    errors,
    clock,
    users: { admin, owner, maintainer, outsider },
    projects: { website, elsewhere },
    agents: { ada, linus, remote },
    limit,
    usage,
    /** A call by the owner, through Ada, in "Website": what a budget check is asked about. */
    adaCall: (): BudgetSubject => ({ userId: owner.id, projectId: website.id, agentId: ada.id }),
    close: async () => {
      db.$client.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
