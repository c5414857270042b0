// Numbers the pipeline view shows: each step's duration (still counting while it runs), the run's totals
// and how far it has got.
import type { RouterOutputs } from "../../lib/trpc";

/** A run that may still change: it can be cancelled, and another start is refused (409 AGENT_BUSY). */
export { isRunActive } from "@crewdeck/domain";

export type Orchestration = RouterOutputs["runs"]["orchestration"];
export type Run = NonNullable<Orchestration["run"]>;
export type RunStatus = Run["status"];
export type RunStep = Orchestration["steps"][number];
export type RunLog = Orchestration["logs"][number];

type Timed = Pick<RunStep, "status" | "startedAt" | "completedAt"> & {
  metrics: Pick<RunStep["metrics"], "durationMs">;
};
type Metered = { metrics: Pick<RunStep["metrics"], "tokensIn" | "tokensOut" | "costUsd" | "durationMs"> };

/**
 * The server's measured duration once a step has one; until then, the time since it started while it
 * runs (so the number moves), or the span between its timestamps.
 */
export function stepDurationMs(step: Timed, now: number): number | null {
  if (step.metrics.durationMs !== null) return step.metrics.durationMs;
  if (!step.startedAt) return null;
  const started = new Date(step.startedAt).getTime();
  if (step.completedAt) return Math.max(0, new Date(step.completedAt).getTime() - started);
  return step.status === "running" ? Math.max(0, now - started) : null;
}

export type RunTotals = { tokensIn: number; tokensOut: number; costUsd: number; durationMs: number };

export function runTotals(steps: readonly Metered[]): RunTotals {
  return steps.reduce<RunTotals>(
    (sum, { metrics }) => ({
      tokensIn: sum.tokensIn + metrics.tokensIn,
      tokensOut: sum.tokensOut + metrics.tokensOut,
      costUsd: sum.costUsd + metrics.costUsd,
      durationMs: sum.durationMs + (metrics.durationMs ?? 0),
    }),
    { tokensIn: 0, tokensOut: 0, costUsd: 0, durationMs: 0 },
  );
}

/** Skipped steps count as done: the run moved past them. */
export function runProgress(steps: readonly Pick<RunStep, "status">[]) {
  const total = steps.length;
  const completed = steps.filter((s) => s.status === "completed" || s.status === "skipped").length;
  return { completed, total, percentage: total === 0 ? 0 : Math.round((completed / total) * 100) };
}

/** Oldest first, so the newest line sits at the bottom like a terminal; ids are time-ordered for ties. */
export function logsOldestFirst<T extends Pick<RunLog, "id" | "createdAt">>(logs: readonly T[]): T[] {
  return [...logs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
