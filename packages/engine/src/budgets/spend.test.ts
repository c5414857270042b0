// A limit's spend over periods that span days, on a real libSQL file: the sums come from the daily buckets,
// so the days at the edges of a period, the calls still in flight and the other scopes must come out right.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestWorld, type TestWorld } from "../testing/test-world";
import { reserveBudget } from "./reservations";
import { measureLimitSpend, settledSpendMicros } from "./spend";

const USD = 1_000_000;
/** Wednesday 11 March 2026, noon (UTC): the week began on Monday the 9th, the month on the 1st. */
const NOW = new Date("2026-03-11T12:00:00.000Z");
const at = (iso: string) => new Date(iso);

let world: TestWorld;
beforeEach(async () => {
  world = await createTestWorld(NOW);
});
afterEach(async () => {
  await world.close();
});

describe("a limit's settled spend over a period of several days", () => {
  it("adds every day of the period, edges included, leaves out calls in flight and other scopes", async () => {
    const { owner, outsider, maintainer } = world.users;
    const website = world.projects.website.id;
    const ada = world.agents.ada.id;
    const onWebsite = { userId: owner.id, projectId: website, agentId: ada };
    await world.usage(64 * USD, onWebsite, { at: at("2026-02-28T23:59:59.999Z") }); // last month
    await world.usage(1 * USD, onWebsite, { at: at("2026-03-01T00:00:00.000Z") }); // the month's first instant
    await world.usage(
      2 * USD,
      { userId: maintainer.id, projectId: website },
      { at: at("2026-03-05T10:00:00Z") },
    );
    await world.usage(4 * USD, onWebsite, { at: at("2026-03-08T23:59:59.999Z") }); // last week
    await world.usage(8 * USD, onWebsite, { at: at("2026-03-09T00:00:00.000Z") }); // the week's first instant
    await world.usage(16 * USD, onWebsite, { at: at("2026-03-10T03:00:00Z") });
    await world.usage(0.25 * USD, onWebsite, { at: at("2026-03-11T06:00:00Z") });
    // Charged at its estimate after a crash: spent, like a settled call.
    await world.usage(0.5 * USD, onWebsite, { at: at("2026-03-10T18:00:00Z") });
    await world.db
      .update(schema.usageRecords)
      .set({ status: "estimated" })
      .where(eq(schema.usageRecords.costMicros, 0.5 * USD));
    // Someone else's project, the same days.
    await world.usage(
      128 * USD,
      { userId: outsider.id, projectId: world.projects.elsewhere.id },
      {
        at: at("2026-03-10T09:00:00Z"),
      },
    );
    // A call in flight: its pending row holds its worst case, counted through the hold, never as spent.
    const { reservationId } = await reserveBudget(
      world.deps,
      { userId: owner.id, projectId: website, agentId: ada },
      3 * USD,
      {
        call: {
          provider: "anthropic",
          model: "claude-sonnet-4-5",
          taskId: null,
          runId: null,
          conversationId: null,
        },
      },
    );

    const spend = (
      scopeType: "global" | "user" | "project" | "agent",
      scopeId: string | null,
      period: "daily" | "weekly" | "monthly",
    ) => measureLimitSpend(world.db, { scopeType, scopeId, period }, NOW);

    expect(await spend("project", website, "monthly")).toEqual({
      periodStart: at("2026-03-01T00:00:00.000Z"),
      settledMicros: (1 + 2 + 4 + 8 + 16 + 0.25 + 0.5) * USD,
      heldMicros: 3 * USD,
    });
    expect(await spend("project", website, "weekly")).toMatchObject({
      settledMicros: (8 + 16 + 0.25 + 0.5) * USD,
    });
    expect(await spend("project", website, "daily")).toMatchObject({ settledMicros: 0.25 * USD });
    expect(await spend("user", owner.id, "monthly")).toMatchObject({
      settledMicros: (1 + 4 + 8 + 16 + 0.25 + 0.5) * USD,
    });
    expect(await spend("agent", ada, "weekly")).toMatchObject({ settledMicros: (8 + 16 + 0.25 + 0.5) * USD });
    expect(await spend("global", null, "monthly")).toMatchObject({
      settledMicros: (1 + 2 + 4 + 8 + 16 + 0.25 + 0.5 + 128) * USD,
    });
    // From the middle of a day: that day's earlier calls stay out.
    expect(
      await settledSpendMicros(
        world.db,
        { scopeType: "project", scopeId: website },
        at("2026-03-10T12:00:00Z"),
      ),
    ).toBe((0.5 + 0.25) * USD);

    // The call ends: its row is settled at the real cost, and that cost is spent from then on.
    await world.db
      .update(schema.usageRecords)
      .set({ status: "settled", costMicros: 1.75 * USD, outcome: "success" })
      .where(eq(schema.usageRecords.callId, reservationId));
    expect(await spend("project", website, "weekly")).toMatchObject({
      settledMicros: (8 + 16 + 0.25 + 0.5 + 1.75) * USD,
    });
  });
});
