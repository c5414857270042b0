// Period boundaries in UTC, and spend that falls on either side of them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EngineError } from "../errors";
import { createTestWorld, type TestWorld } from "../testing/test-world";
import { periodStart } from "./periods";
import { reserveBudget } from "./reservations";
import { measureLimitSpend } from "./spend";

const at = (text: string) => new Date(text);

describe("periodStart", () => {
  it("starts days at UTC midnight", () => {
    expect(periodStart("daily", at("2026-03-11T23:59:59.999Z"))).toEqual(at("2026-03-11T00:00:00.000Z"));
    expect(periodStart("daily", at("2026-03-12T00:00:00.000Z"))).toEqual(at("2026-03-12T00:00:00.000Z"));
  });

  it("starts weeks on Monday, also from a Sunday and across a month", () => {
    expect(periodStart("weekly", at("2026-03-11T12:00:00Z"))).toEqual(at("2026-03-09T00:00:00Z")); // Wednesday
    expect(periodStart("weekly", at("2026-03-09T00:00:00Z"))).toEqual(at("2026-03-09T00:00:00Z")); // Monday
    expect(periodStart("weekly", at("2026-03-15T23:59:59Z"))).toEqual(at("2026-03-09T00:00:00Z")); // Sunday
    expect(periodStart("weekly", at("2026-03-01T08:00:00Z"))).toEqual(at("2026-02-23T00:00:00Z")); // Sunday
  });

  it("starts months on the 1st, across a year end", () => {
    expect(periodStart("monthly", at("2026-03-31T23:00:00Z"))).toEqual(at("2026-03-01T00:00:00Z"));
    expect(periodStart("monthly", at("2027-01-01T00:00:00Z"))).toEqual(at("2027-01-01T00:00:00Z"));
    expect(periodStart("monthly", at("2026-12-31T23:59:59Z"))).toEqual(at("2026-12-01T00:00:00Z"));
  });
});

describe("spend within a limit's period", () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await createTestWorld(at("2026-03-11T12:00:00.000Z"));
  });
  afterEach(async () => {
    await world.close();
  });

  it("counts yesterday's record for the week and the month but not for the day", async () => {
    const owner = { userId: world.users.owner.id };
    await world.usage(300_000, owner, { at: at("2026-03-10T23:59:59.999Z") }); // yesterday
    await world.usage(200_000, owner, { at: at("2026-03-11T00:00:00.000Z") }); // today
    await world.usage(700_000, owner, { at: at("2026-03-08T12:00:00.000Z") }); // last Sunday
    await world.usage(900_000, owner, { at: at("2026-02-28T12:00:00.000Z") }); // last month
    const spent = async (period: "daily" | "weekly" | "monthly") =>
      (
        await measureLimitSpend(
          world.db,
          { scopeType: "user", scopeId: owner.userId, period },
          world.clock.now,
        )
      ).settledMicros;
    expect(await spent("daily")).toBe(200_000);
    expect(await spent("weekly")).toBe(500_000);
    expect(await spent("monthly")).toBe(1_200_000);
  });

  it("lets a daily block limit spent yesterday take calls again today", async () => {
    await world.limit({ scopeType: "user", scopeId: world.users.owner.id, amountMicros: 1_000_000 });
    await world.usage(1_000_000, { userId: world.users.owner.id }, { at: at("2026-03-10T18:00:00Z") });
    const call = { userId: world.users.owner.id, projectId: null, agentId: null };
    await expect(reserveBudget(world.deps, call, 900_000)).resolves.toBeDefined();

    await world.limit({
      scopeType: "user",
      scopeId: world.users.owner.id,
      amountMicros: 1_500_000,
      period: "weekly",
    });
    const refused = await reserveBudget(world.deps, call, 1).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EngineError);
    expect((refused as EngineError).details).toMatchObject({ period: "weekly", spentUsd: 1.9 });
  });
});
