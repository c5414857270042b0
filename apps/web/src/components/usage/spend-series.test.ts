import { describe, expect, it } from "vitest";
import { budgetLines } from "./budget-lines";
import { OTHER_KEY, spendSeries, type UsageAnalytics } from "./spend-series";

const figures = (cost: number) => ({
  calls: 1,
  inputTokens: 1,
  outputTokens: 1,
  totalTokens: 2,
  totalCostUsd: cost,
});

function analytics(groupCosts: Record<string, number[]>): UsageAnalytics {
  const keys = Object.keys(groupCosts);
  const days = ["2026-03-01", "2026-03-02"];
  return {
    range: {
      startDate: days[0] as string,
      endDate: days[1] as string,
      start: "2026-03-01T00:00:00.000Z",
      end: "2026-03-03T00:00:00.000Z",
      tz: "UTC",
      granularity: "day",
    },
    groupBy: "model",
    summary: figures(0),
    groups: keys.map((key) => ({
      id: key,
      name: key.toUpperCase(),
      ...figures((groupCosts[key] ?? []).reduce((a, b) => a + b, 0)),
    })),
    buckets: days.map((date, i) => ({
      date,
      start: `${date}T00:00:00.000Z`,
      end: `${date}T00:00:00.000Z`,
      ...figures(keys.reduce((sum, key) => sum + (groupCosts[key]?.[i] ?? 0), 0)),
      groups: keys.map((key) => ({ id: key, ...figures(groupCosts[key]?.[i] ?? 0) })),
    })),
  };
}

describe("spendSeries", () => {
  it("gives each group a series, costliest first, and each bucket a figure per series", () => {
    const { series, rows } = spendSeries(analytics({ cheap: [1, 0], dear: [2, 5] }));
    expect(series.map((s) => s.name)).toEqual(["DEAR", "CHEAP"]);
    expect(rows).toEqual([
      expect.objectContaining({
        date: "2026-03-01",
        label: "Mar 1",
        totalCostUsd: 3,
        "g:dear": 2,
        "g:cheap": 1,
      }),
      expect.objectContaining({
        date: "2026-03-02",
        label: "Mar 2",
        totalCostUsd: 5,
        "g:dear": 5,
        "g:cheap": 0,
      }),
    ]);
  });

  it("sums the groups past the seventh into Other, so the legend stays short", () => {
    const costs = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`m${i}`, [10 - i, 0]]));
    const { series, rows } = spendSeries(analytics(costs));
    expect(series).toHaveLength(8);
    expect(series.at(-1)).toMatchObject({ key: OTHER_KEY, name: "Other" });
    expect(rows[0]?.[OTHER_KEY]).toBe(3 + 2 + 1);
    expect(new Set(series.map((s) => s.colour)).size).toBe(8);
  });

  it("draws no series for a range without usage, and every bucket still", () => {
    const { series, rows } = spendSeries(analytics({}));
    expect(series).toEqual([]);
    expect(rows.map((r) => r.totalCostUsd)).toEqual([0, 0]);
  });
});

describe("budgetLines", () => {
  const limit = (id: string, period: "daily" | "weekly" | "monthly", isActive = true) => ({
    id,
    name: id,
    amountUsd: 5,
    period,
    isActive,
  });

  it("draws the active limits whose period is the chart's bucket", () => {
    const limits = [limit("d", "daily"), limit("w", "weekly"), limit("off", "daily", false)];
    expect(budgetLines(limits, "day").map((l) => l.id)).toEqual(["d"]);
    expect(budgetLines(limits, "week").map((l) => l.id)).toEqual(["w"]);
    expect(budgetLines(limits, "month")).toEqual([]);
  });
});
