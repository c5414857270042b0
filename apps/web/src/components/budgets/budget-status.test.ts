import { describe, expect, it } from "vitest";
import type { BudgetLimit } from "./budget-labels";
import { type BudgetSummary, budgetBanner, exceededConsequence, limitState } from "./budget-status";

const limit = (over: Partial<BudgetLimit> = {}): BudgetLimit => ({
  id: "l1",
  name: "Website daily",
  scopeType: "project",
  scopeId: "p1",
  scopeName: "Website",
  amountUsd: 10,
  period: "daily",
  alertThreshold: 0.8,
  actionOnExceed: "warn",
  isActive: true,
  spentUsd: 0,
  percentage: 0,
  periodStart: "2026-02-12T00:00:00.000Z",
  createdAt: "2026-02-01T00:00:00.000Z",
  updatedAt: "2026-02-01T00:00:00.000Z",
  ...over,
});

const figures = { spentUsd: 0, limitUsd: null, percentage: null };
const summary = (alerts: BudgetSummary["alerts"] = []): BudgetSummary => ({
  today: figures,
  week: figures,
  month: figures,
  alerts,
});

const alert = (over: Partial<BudgetSummary["alerts"][number]> = {}): BudgetSummary["alerts"][number] => ({
  id: "a1",
  limitId: "l9",
  level: "warning",
  scope: { type: "user", id: "u1", name: "Ada" },
  spentUsd: 4.5,
  limitUsd: 5,
  percentage: 90,
  message: "User Ada is at 90% of the limit",
  createdAt: "2026-02-12T10:00:00.000Z",
  ...over,
});

describe("limitState", () => {
  it("is fine below the threshold, a warning from it, exceeded at the amount", () => {
    expect(limitState(limit({ spentUsd: 7.99 }))).toBe("ok");
    expect(limitState(limit({ spentUsd: 8 }))).toBe("warning");
    expect(limitState(limit({ spentUsd: 10 }))).toBe("exceeded");
    expect(limitState(limit({ spentUsd: 12 }))).toBe("exceeded");
  });

  it("agrees with the server's micro-dollar arithmetic where floats would not", () => {
    // 0.7 * 10 is 7.000000000000001 in floats; the server compares 7000000 >= 7000000.
    expect(limitState(limit({ alertThreshold: 0.7, spentUsd: 7 }))).toBe("warning");
  });

  it("ignores paused limits and limits with nothing spent", () => {
    expect(limitState(limit({ isActive: false, spentUsd: 50 }))).toBe("ok");
    expect(limitState(limit({ alertThreshold: 0, spentUsd: 0 }))).toBe("ok");
  });
});

describe("exceededConsequence", () => {
  it("says what the action does to the scope", () => {
    expect(exceededConsequence({ actionOnExceed: "block", scopeType: "global" })).toMatch(/blocked/);
    expect(exceededConsequence({ actionOnExceed: "pause", scopeType: "project" })).toMatch(
      /project's agents are paused/,
    );
    expect(exceededConsequence({ actionOnExceed: "pause", scopeType: "agent" })).toMatch(/agent is paused/);
    expect(exceededConsequence({ actionOnExceed: "warn", scopeType: "user" })).toMatch(/only warns/);
  });
});

describe("budgetBanner", () => {
  it("shows nothing when all is fine", () => {
    expect(budgetBanner(summary(), [limit({ spentUsd: 1 })])).toBeNull();
    expect(budgetBanner(undefined, undefined)).toBeNull();
  });

  it("warns about a limit over its threshold", () => {
    const banner = budgetBanner(summary(), [limit({ spentUsd: 8.1, percentage: 81 })]);
    expect(banner?.tone).toBe("warning");
    expect(banner?.entries).toEqual([
      expect.objectContaining({ name: "Website daily", state: "warning", spentUsd: 8.1, percentage: 81 }),
    ]);
  });

  it("turns to danger when any limit is reached, worst first, with what happens", () => {
    const banner = budgetBanner(summary(), [
      limit({ id: "a", spentUsd: 9, percentage: 90 }),
      limit({
        id: "b",
        name: "Crew cap",
        spentUsd: 21,
        amountUsd: 20,
        percentage: 105,
        actionOnExceed: "block",
      }),
    ]);
    expect(banner?.tone).toBe("danger");
    expect(banner?.entries.map((e) => e.limitId)).toEqual(["b", "a"]);
    expect(banner?.entries[0]?.consequence).toMatch(/blocked/);
  });

  it("trusts a listed limit's current figures over an older alert about it", () => {
    // The limit was raised after it alerted; a summary fetched before that still lists the alert.
    const banner = budgetBanner(summary([alert({ limitId: "l1", level: "critical" })]), [
      limit({ spentUsd: 1 }),
    ]);
    expect(banner).toBeNull();
  });

  it("falls back on the summary's alerts for limits it has no figures for", () => {
    const banner = budgetBanner(
      summary([alert({ id: "w", level: "warning" }), alert({ id: "c", level: "critical", percentage: 100 })]),
      undefined,
    );
    expect(banner?.tone).toBe("danger");
    expect(banner?.entries).toHaveLength(1);
    expect(banner?.entries[0]).toMatchObject({
      limitId: "l9",
      state: "exceeded",
      name: "Ada",
      consequence: null,
    });
  });
});
