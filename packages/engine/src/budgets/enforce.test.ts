// Alerts once per limit, period and level, to the right people, even when enforcement races; pause limits
// pause the agents in their scope.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EngineError } from "../errors";
import { createTestWorld, type TestWorld } from "../testing/test-world";
import { enforceBudgets } from "./enforce";
import { reserveBudget } from "./reservations";

const USD = 1_000_000;

let world: TestWorld;
beforeEach(async () => {
  world = await createTestWorld();
});
afterEach(async () => {
  expect(world.errors).toEqual([]);
  await world.close();
});

const notificationsOf = (userId: string) =>
  world.db.query.notifications.findMany({ where: eq(schema.notifications.userId, userId) });
const alertRows = () => world.db.select().from(schema.budgetAlerts);
const agentStatus = async (id: string) =>
  (await world.db.query.agents.findFirst({ where: eq(schema.agents.id, id) }))?.status;

describe("enforceBudgets alerts", () => {
  it("sends each level once per period even when 20 enforcements race", async () => {
    const cap = await world.limit({
      name: "Website daily",
      scopeType: "project",
      scopeId: world.projects.website.id,
      amountMicros: 10 * USD,
      alertThreshold: 0.8,
      actionOnExceed: "warn",
    });
    const race = () =>
      Promise.all(Array.from({ length: 20 }, () => enforceBudgets(world.deps, world.adaCall())));

    await world.usage(7 * USD, world.adaCall());
    await race();
    expect(world.bus.ofType("budget_alert")).toEqual([]);

    await world.usage(1.5 * USD, world.adaCall()); // 85 %
    await race();
    const warnings = world.bus.ofType("budget_alert");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      scope: { projectId: world.projects.website.id, userId: null },
      payload: {
        level: "warning",
        scope: { type: "project", id: world.projects.website.id, name: "Website" },
        limitId: cap.id,
        currentUsd: 8.5,
        limitUsd: 10,
        percentage: 85,
        message: 'Project Website is at 85% of the limit "Website daily": 8.50 of 10.00 USD today.',
      },
    });

    await world.usage(2 * USD, world.adaCall()); // 105 %
    await race();
    const levels = world.bus.ofType("budget_alert").map((e) => e.payload.level);
    expect(levels).toEqual(["warning", "critical"]);
    expect((await alertRows()).map((a) => a.level).sort()).toEqual(["critical", "warning"]);

    // Only the project's owner is told; the maintainer and outsiders are not.
    const ownerNotices = await notificationsOf(world.users.owner.id);
    expect(ownerNotices.map((n) => [n.type, n.severity, n.data]).sort()).toEqual([
      ["budget_alert", "critical", { limitId: cap.id, projectId: world.projects.website.id }],
      ["budget_alert", "warning", { limitId: cap.id, projectId: world.projects.website.id }],
    ]);
    expect(await notificationsOf(world.users.maintainer.id)).toEqual([]);
    expect(await notificationsOf(world.users.admin.id)).toEqual([]);
    // Each stored notification also went out live, to its recipient only.
    expect(world.bus.ofType("notification").map((e) => [e.scope.userId, e.payload.severity])).toEqual([
      [world.users.owner.id, "warning"],
      [world.users.owner.id, "critical"],
    ]);
    // A warn limit pauses nothing.
    expect(world.bus.ofType("agent_status")).toEqual([]);
    expect(await agentStatus(world.agents.ada.id)).toBe("idle");
  });

  it("sends only the critical alert when one call crosses both thresholds, and again in the next period", async () => {
    await world.limit({ scopeType: "agent", scopeId: world.agents.ada.id, amountMicros: 1 * USD });
    await world.usage(2 * USD, world.adaCall());
    await enforceBudgets(world.deps, world.adaCall());
    expect(world.bus.ofType("budget_alert").map((e) => e.payload.level)).toEqual(["critical"]);
    expect(await alertRows()).toHaveLength(2);

    await enforceBudgets(world.deps, world.adaCall());
    expect(world.bus.ofType("budget_alert")).toHaveLength(1);

    world.clock.now = new Date("2026-03-12T09:00:00.000Z");
    await world.usage(1.2 * USD, world.adaCall());
    await enforceBudgets(world.deps, world.adaCall());
    expect(world.bus.ofType("budget_alert").map((e) => e.payload.level)).toEqual(["critical", "critical"]);
    expect(await alertRows()).toHaveLength(4);
  });

  it("tells a user about their own limit, privately", async () => {
    await world.limit({ scopeType: "user", scopeId: world.users.owner.id, amountMicros: 1 * USD });
    await world.usage(900_000, world.adaCall());
    await enforceBudgets(world.deps, world.adaCall());
    const [alert] = world.bus.ofType("budget_alert");
    expect(alert?.scope).toMatchObject({ userId: world.users.owner.id, projectId: null });
    expect(alert?.payload.scope).toEqual({ type: "user", id: world.users.owner.id, name: "owner" });
    const [notice] = await notificationsOf(world.users.owner.id);
    expect(notice).toMatchObject({ severity: "warning", data: { limitId: alert?.payload.limitId } });
  });

  it("tells every admin about a global limit, one event each", async () => {
    const [second] = await world.db
      .insert(schema.users)
      .values({ name: "second admin", email: "admin2@example.test", role: "admin" })
      .returning();
    await world.limit({ scopeType: "global", amountMicros: 1 * USD, actionOnExceed: "warn" });
    await world.usage(1 * USD, { userId: world.users.outsider.id });
    await enforceBudgets(world.deps, { userId: world.users.outsider.id, projectId: null, agentId: null });

    const alerts = world.bus.ofType("budget_alert");
    expect(alerts.map((e) => e.scope.userId).sort()).toEqual([world.users.admin.id, second!.id].sort());
    expect(alerts.every((e) => e.payload.level === "critical" && e.scope.projectId === null)).toBe(true);
    expect(await notificationsOf(world.users.admin.id)).toHaveLength(1);
    expect(await notificationsOf(second!.id)).toHaveLength(1);
    expect(await notificationsOf(world.users.outsider.id)).toEqual([]);
  });

  it("keeps the alert and its notifications when the event bus fails, and logs instead of throwing", async () => {
    await world.limit({ scopeType: "project", scopeId: world.projects.website.id, amountMicros: 1 * USD });
    await world.usage(1 * USD, world.adaCall());
    world.bus.failing = true;
    await expect(enforceBudgets(world.deps, world.adaCall())).resolves.toBeUndefined();
    expect(await alertRows()).toHaveLength(2);
    expect(await notificationsOf(world.users.owner.id)).toHaveLength(1);
    expect(world.errors.length).toBeGreaterThan(0);
    world.errors.length = 0;
  });
});

describe("enforceBudgets pause action", () => {
  it("pauses every agent of the project when a project pause limit is reached, and refuses their calls", async () => {
    await world.limit({
      name: "Website stop",
      scopeType: "project",
      scopeId: world.projects.website.id,
      amountMicros: 1 * USD,
      actionOnExceed: "pause",
    });
    await world.usage(600_000, world.adaCall());
    await enforceBudgets(world.deps, world.adaCall());
    expect(await agentStatus(world.agents.ada.id)).toBe("idle");

    await world.usage(500_000, world.adaCall());
    await Promise.all(Array.from({ length: 5 }, () => enforceBudgets(world.deps, world.adaCall())));
    expect(await agentStatus(world.agents.ada.id)).toBe("paused");
    expect(await agentStatus(world.agents.linus.id)).toBe("paused");
    expect(await agentStatus(world.agents.remote.id)).toBe("idle");
    const statusEvents = world.bus.ofType("agent_status");
    expect(statusEvents.map((e) => e.payload.agentId).sort()).toEqual(
      [world.agents.ada.id, world.agents.linus.id].sort(),
    );
    expect(
      statusEvents.every(
        (e) => e.payload.status === "paused" && e.scope.projectId === world.projects.website.id,
      ),
    ).toBe(true);
    const critical = world.bus.ofType("budget_alert").find((e) => e.payload.level === "critical");
    expect(critical?.payload.message).toMatch(/The project's agents are paused\.$/);

    const refused = await reserveBudget(
      world.deps,
      { ...world.adaCall(), agentId: world.agents.linus.id },
      1,
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).code).toBe("BUDGET_EXCEEDED");
  });

  it("pauses only the agent of an agent pause limit", async () => {
    await world.limit({
      scopeType: "agent",
      scopeId: world.agents.ada.id,
      amountMicros: 1 * USD,
      actionOnExceed: "pause",
    });
    await world.usage(1 * USD, world.adaCall());
    await enforceBudgets(world.deps, world.adaCall());
    expect(await agentStatus(world.agents.ada.id)).toBe("paused");
    expect(await agentStatus(world.agents.linus.id)).toBe("idle");
    expect(world.bus.ofType("agent_status").map((e) => e.payload.agentId)).toEqual([world.agents.ada.id]);
  });

  it("pauses nothing for a block limit that is reached", async () => {
    await world.limit({ scopeType: "project", scopeId: world.projects.website.id, amountMicros: 1 * USD });
    await world.usage(1 * USD, world.adaCall());
    await enforceBudgets(world.deps, world.adaCall());
    expect(world.bus.ofType("budget_alert").map((e) => e.payload.level)).toEqual(["critical"]);
    expect(await agentStatus(world.agents.ada.id)).toBe("idle");
    expect(world.bus.ofType("agent_status")).toEqual([]);
  });
});
