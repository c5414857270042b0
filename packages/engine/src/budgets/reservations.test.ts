// Reservations against block, pause and warn limits, on a real libSQL file, including 50 metered calls
// racing against one small block limit.
import { setTimeout as sleep } from "node:timers/promises";
import { schema } from "@crewdeck/db";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EngineError } from "../errors";
import { createTestWorld, type TestWorld } from "../testing/test-world";
import { enforceBudgets } from "./enforce";
import {
  closeAbandonedReservations,
  closeStepReservations,
  type PendingCall,
  releaseReservation,
  reserveBudget,
  settleReservation,
} from "./reservations";
import { measureLimitSpend } from "./spend";

const USD = 1_000_000;

let world: TestWorld;
beforeEach(async () => {
  world = await createTestWorld();
});
afterEach(async () => {
  await world.close();
});

const reservations = () => world.db.select().from(schema.budgetReservations);
const usageRows = () => world.db.select().from(schema.usageRecords);
const call: PendingCall = {
  provider: "anthropic",
  model: "claude-sonnet-4-5",
  taskId: null,
  runId: null,
  conversationId: null,
};

async function refusal(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe("reserveBudget against a block limit", () => {
  it("lets 50 concurrent calls settle no more than the limit, refuses the rest, and leaves nothing held", async () => {
    await world.limit({
      name: "Website daily cap",
      scopeType: "project",
      scopeId: world.projects.website.id,
      amountMicros: 1 * USD,
    });
    const worstCase = 100_000; // 0.10 USD
    const subject = world.adaCall();

    // Each call as the metered call runs it: reserve the worst case, stream for a while, then write the
    // usage record (real cost ≤ worst case) and settle in one transaction, then enforce.
    const cycle = async (i: number): Promise<"done" | "refused"> => {
      let reservationId: string;
      try {
        ({ reservationId } = await reserveBudget(world.deps, subject, worstCase));
      } catch (error) {
        if (error instanceof EngineError && error.code === "BUDGET_EXCEEDED") return "refused";
        throw error;
      }
      await sleep(1 + (i % 7) * 3);
      const actual = 60_000 + ((i * 7919) % 40_001);
      await world.db.transaction(async (tx) => {
        await tx.insert(schema.usageRecords).values({
          userId: subject.userId,
          projectId: subject.projectId,
          agentId: subject.agentId,
          provider: "anthropic",
          model: "claude-sonnet-4-5",
          costMicros: actual,
          outcome: "success",
          createdAt: world.clock.now,
        });
        await settleReservation(tx, reservationId);
      });
      await enforceBudgets(world.deps, subject);
      return "done";
    };
    const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => cycle(i)));

    const [settled] = await world.db
      .select({ total: sql<number>`coalesce(sum(${schema.usageRecords.costMicros}), 0)`.mapWith(Number) })
      .from(schema.usageRecords);
    const done = outcomes.filter((o) => o === "done").length;
    expect(settled!.total).toBeLessThanOrEqual(1 * USD);
    // Ten worst cases fit in the limit, so at least ten calls ran; the rest were refused, not lost.
    expect(done).toBeGreaterThanOrEqual(10);
    expect(outcomes.filter((o) => o === "refused").length).toBe(50 - done);
    expect(done).toBeLessThan(50);
    const rows = await reservations();
    expect(rows.filter((r) => r.status === "held")).toEqual([]);
    expect(rows.filter((r) => r.status === "settled")).toHaveLength(done);
    expect(world.errors).toEqual([]);
  });

  it("refuses a call that could pass the limit with the limit's figures, and holds nothing", async () => {
    const cap = await world.limit({
      name: "Website daily cap",
      scopeType: "project",
      scopeId: world.projects.website.id,
      amountMicros: 5 * USD,
    });
    await world.usage(4 * USD, world.adaCall());
    await reserveBudget(world.deps, world.adaCall(), 500_000); // held: 4.50 committed

    const error = await refusal(reserveBudget(world.deps, world.adaCall(), 600_000));
    expect(error.code).toBe("BUDGET_EXCEEDED");
    expect(error.message).toMatch(/^Website daily cap: 4\.50 of 5\.00 USD today — /);
    expect(error.details).toEqual({
      limitId: cap.id,
      name: "Website daily cap",
      scope: { type: "project", id: world.projects.website.id },
      period: "daily",
      spentUsd: 4.5,
      limitUsd: 5,
      requestedUsd: 0.6,
    });
    expect(await reservations()).toHaveLength(1);

    // Exactly up to the limit is allowed.
    await expect(reserveBudget(world.deps, world.adaCall(), 500_000)).resolves.toEqual({
      reservationId: expect.any(String),
    });
  });

  it("counts a settled reservation through its usage record only, and a released one not at all", async () => {
    await world.limit({ scopeType: "user", scopeId: world.users.owner.id, amountMicros: 1 * USD });
    const first = await reserveBudget(world.deps, world.adaCall(), 900_000);
    await world.db.transaction(async (tx) => {
      await world.usage(200_000, world.adaCall(), { tx });
      await settleReservation(tx, first.reservationId);
    });
    // 0.20 settled: 0.80 is still available.
    const second = await reserveBudget(world.deps, world.adaCall(), 800_000);
    await refusal(reserveBudget(world.deps, world.adaCall(), 1));
    await releaseReservation(world.db, second.reservationId);
    await expect(reserveBudget(world.deps, world.adaCall(), 800_000)).resolves.toBeDefined();
    const statuses = (await reservations()).map((r) => r.status).sort();
    expect(statuses).toEqual(["held", "released", "settled"]);
  });

  it("applies only active limits that cover the call: global, its user, project and agent", async () => {
    const tiny = 1_000;
    await world.limit({ scopeType: "project", scopeId: world.projects.elsewhere.id, amountMicros: tiny });
    await world.limit({ scopeType: "agent", scopeId: world.agents.linus.id, amountMicros: tiny });
    await world.limit({ scopeType: "user", scopeId: world.users.maintainer.id, amountMicros: tiny });
    await world.limit({ scopeType: "global", amountMicros: tiny, isActive: false });
    await expect(reserveBudget(world.deps, world.adaCall(), 50_000)).resolves.toBeDefined();

    const agentLimit = await world.limit({
      scopeType: "agent",
      scopeId: world.agents.ada.id,
      amountMicros: tiny,
    });
    expect((await refusal(reserveBudget(world.deps, world.adaCall(), 50_000))).details).toMatchObject({
      limitId: agentLimit.id,
    });
    await world.db.delete(schema.budgetLimits).where(eq(schema.budgetLimits.id, agentLimit.id));

    const global = await world.limit({ scopeType: "global", amountMicros: tiny });
    const outsiderCall = { userId: world.users.outsider.id, projectId: null, agentId: null };
    expect((await refusal(reserveBudget(world.deps, outsiderCall, 50_000))).details).toMatchObject({
      limitId: global.id,
      scope: { type: "global", id: null },
    });
  });

  it("rejects an amount that is not whole micro-dollars", async () => {
    await expect(reserveBudget(world.deps, world.adaCall(), 1.5)).rejects.toThrow(RangeError);
    await expect(reserveBudget(world.deps, world.adaCall(), -1)).rejects.toThrow(RangeError);
  });
});

describe("reserveBudget against warn and pause limits", () => {
  it("never refuses for a warn limit, however far past it", async () => {
    await world.limit({ scopeType: "global", amountMicros: 10_000, actionOnExceed: "warn" });
    await world.usage(5 * USD, world.adaCall());
    await expect(reserveBudget(world.deps, world.adaCall(), 2 * USD)).resolves.toBeDefined();
    await expect(reserveBudget(world.deps, world.adaCall(), 2 * USD)).resolves.toBeDefined();
  });

  it("refuses the covered agents once a project pause limit is spent, but not calls before it is", async () => {
    await world.limit({
      name: "Website pause",
      scopeType: "project",
      scopeId: world.projects.website.id,
      amountMicros: 1 * USD,
      actionOnExceed: "pause",
    });
    // Unlike block, pause looks at money spent: a call that may pass the limit still runs.
    await world.usage(900_000, world.adaCall());
    await expect(reserveBudget(world.deps, world.adaCall(), 500_000)).resolves.toBeDefined();
    await world.usage(100_000, world.adaCall());

    const error = await refusal(
      reserveBudget(world.deps, { ...world.adaCall(), agentId: world.agents.linus.id }, 1),
    );
    expect(error.message).toMatch(
      /^Website pause: 1\.00 of 1\.00 USD today — the project's agents were paused/,
    );
    // A call in the project that no agent makes (a person's own chat) is not an agent's to pause.
    await expect(reserveBudget(world.deps, { ...world.adaCall(), agentId: null }, 1)).resolves.toBeDefined();
  });

  it("refuses every call of a user whose pause limit is spent", async () => {
    await world.limit({
      scopeType: "user",
      scopeId: world.users.owner.id,
      amountMicros: 1 * USD,
      actionOnExceed: "pause",
    });
    await world.usage(1 * USD, { userId: world.users.owner.id });
    const error = await refusal(
      reserveBudget(world.deps, { ...world.adaCall(), agentId: null, projectId: null }, 1),
    );
    expect(error.message).toMatch(/model calls are paused by this limit/);
    await expect(
      reserveBudget(world.deps, { userId: world.users.maintainer.id, projectId: null, agentId: null }, 1),
    ).resolves.toBeDefined();
  });
});

describe("releasing holds nobody will settle", () => {
  async function runStep() {
    const [task] = await world.db
      .insert(schema.tasks)
      .values({ title: "Ship it", projectId: world.projects.website.id })
      .returning();
    const [run] = await world.db
      .insert(schema.runs)
      .values({
        taskId: task!.id,
        projectId: world.projects.website.id,
        pipeline: [world.agents.ada.id],
        totalSteps: 1,
      })
      .returning();
    const [step] = await world.db
      .insert(schema.runSteps)
      .values({ runId: run!.id, stepIndex: 0, agentId: world.agents.ada.id, role: "senior-developer" })
      .returning();
    return step!;
  }

  it("charges a crashed step's calls at their estimate, releases its other holds, and no one else's", async () => {
    await world.limit({ scopeType: "project", scopeId: world.projects.website.id, amountMicros: 1 * USD });
    const step = await runStep();
    const sent = await reserveBudget(world.deps, world.adaCall(), 400_000, { runStepId: step.id, call });
    const bare = await reserveBudget(world.deps, world.adaCall(), 400_000, { runStepId: step.id });
    const other = await reserveBudget(world.deps, world.adaCall(), 200_000, { call });
    await refusal(reserveBudget(world.deps, world.adaCall(), 100_000));

    expect(await closeStepReservations(world.db, step.id)).toEqual({ estimated: 1, released: 1 });
    expect(await closeStepReservations(world.db, step.id)).toEqual({ estimated: 0, released: 0 });
    const holds = new Map((await reservations()).map((r) => [r.id, r.status]));
    expect(holds.get(sent.reservationId)).toBe("settled");
    expect(holds.get(bare.reservationId)).toBe("released");
    expect(holds.get(other.reservationId)).toBe("held");
    const rows = new Map((await usageRows()).map((u) => [u.callId, u]));
    expect(rows.get(sent.reservationId)).toMatchObject({ status: "estimated", costMicros: 400_000 });
    expect(rows.get(other.reservationId)).toMatchObject({ status: "pending", costMicros: 200_000 });
    // 0.40 charged at its estimate and 0.20 still held: 0.40 is left, not a cent more.
    await expect(reserveBudget(world.deps, world.adaCall(), 400_000)).resolves.toBeDefined();
    await refusal(reserveBudget(world.deps, world.adaCall(), 1));
  });

  it("closes holds older than the cut-off at start-up, charging the calls that were under way", async () => {
    const old = await reserveBudget(world.deps, world.adaCall(), 1_000, { call });
    world.clock.now = new Date(world.clock.now.getTime() + 60 * 60_000);
    const recent = await reserveBudget(world.deps, world.adaCall(), 1_000, { call });
    const startUp = new Date(world.clock.now.getTime() + 60_000);

    expect(await closeAbandonedReservations(world.db, 30 * 60_000, startUp)).toEqual({
      estimated: 1,
      released: 0,
    });
    const byId = new Map((await reservations()).map((r) => [r.id, r.status]));
    expect(byId.get(old.reservationId)).toBe("settled");
    expect(byId.get(recent.reservationId)).toBe("held");
    const rows = new Map((await usageRows()).map((u) => [u.callId, u.status]));
    expect(rows.get(old.reservationId)).toBe("estimated");
    expect(rows.get(recent.reservationId)).toBe("pending");
  });

  it("counts a call in flight once: through its hold while pending, and removes the row when released", async () => {
    const limit = { scopeType: "user" as const, scopeId: world.users.owner.id, period: "daily" as const };
    const first = await reserveBudget(world.deps, world.adaCall(), 300_000, { call });
    expect(await measureLimitSpend(world.db, limit, world.clock.now)).toMatchObject({
      settledMicros: 0,
      heldMicros: 300_000,
    });
    await releaseReservation(world.db, first.reservationId);
    expect(await usageRows()).toEqual([]);
    expect((await reservations())[0]?.status).toBe("released");
  });

  it("does not settle a hold that was already released", async () => {
    const { reservationId } = await reserveBudget(world.deps, world.adaCall(), 1_000);
    await releaseReservation(world.db, reservationId);
    await world.db.transaction((tx) => settleReservation(tx, reservationId));
    const [row] = await reservations();
    expect(row).toMatchObject({ status: "released", settledAt: null });
  });
});
