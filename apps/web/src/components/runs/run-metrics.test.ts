import { describe, expect, it } from "vitest";
import { isRunActive, logsOldestFirst, runProgress, runTotals, stepDurationMs } from "./run-metrics";

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString();
const now = new Date(at(30)).getTime();

const step = (over: Partial<Parameters<typeof stepDurationMs>[0]>) => ({
  status: "pending" as const,
  startedAt: null,
  completedAt: null,
  metrics: { durationMs: null },
  ...over,
});

describe("stepDurationMs", () => {
  it("prefers the duration the server measured", () => {
    expect(
      stepDurationMs(step({ status: "completed", startedAt: at(0), metrics: { durationMs: 1234 } }), now),
    ).toBe(1234);
  });

  it("counts up while a step runs", () => {
    expect(stepDurationMs(step({ status: "running", startedAt: at(10) }), now)).toBe(20_000);
  });

  it("uses the timestamps of a finished step without a measurement", () => {
    expect(stepDurationMs(step({ status: "failed", startedAt: at(2), completedAt: at(5) }), now)).toBe(3000);
  });

  it("has none for a step that has not started, or stopped without finishing", () => {
    expect(stepDurationMs(step({}), now)).toBeNull();
    expect(stepDurationMs(step({ status: "cancelled", startedAt: at(2) }), now)).toBeNull();
  });
});

describe("run totals and progress", () => {
  const metrics = (tokensIn: number, tokensOut: number, costUsd: number, durationMs: number | null) => ({
    metrics: { tokensIn, tokensOut, costUsd, durationMs },
  });

  it("adds up tokens, cost and the measured durations", () => {
    expect(runTotals([metrics(100, 50, 0.01, 1000), metrics(200, 25, 0.02, null)])).toEqual({
      tokensIn: 300,
      tokensOut: 75,
      costUsd: 0.03,
      durationMs: 1000,
    });
    expect(runTotals([])).toEqual({ tokensIn: 0, tokensOut: 0, costUsd: 0, durationMs: 0 });
  });

  it("counts completed and skipped steps as done", () => {
    expect(
      runProgress([
        { status: "completed" },
        { status: "skipped" },
        { status: "running" },
        { status: "pending" },
      ]),
    ).toEqual({
      completed: 2,
      total: 4,
      percentage: 50,
    });
    expect(runProgress([])).toEqual({ completed: 0, total: 0, percentage: 0 });
  });

  it("treats queued, running and paused runs as active", () => {
    expect(["queued", "running", "paused"].every((s) => isRunActive(s as "queued"))).toBe(true);
    expect(isRunActive("completed")).toBe(false);
    expect(isRunActive(null)).toBe(false);
  });
});

describe("logsOldestFirst", () => {
  it("puts the newest line last, breaking ties by id", () => {
    const logs = [
      { id: "3", createdAt: at(5) },
      { id: "2", createdAt: at(1) },
      { id: "1", createdAt: at(1) },
    ];
    expect(logsOldestFirst(logs).map((l) => l.id)).toEqual(["1", "2", "3"]);
    expect(logs.map((l) => l.id)).toEqual(["3", "2", "1"]);
  });
});
