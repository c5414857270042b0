// How budget limits read on screen: their scope, period, action and how much of them is spent.
import type { RouterOutputs } from "../../lib/trpc";

export type BudgetLimit = RouterOutputs["budgets"]["limits"]["list"]["items"][number];
export type ScopeType = BudgetLimit["scopeType"];
export type BudgetPeriod = BudgetLimit["period"];
export type BudgetAction = BudgetLimit["actionOnExceed"];

export const SCOPE_TYPE_LABELS: Record<ScopeType, string> = {
  global: "Global",
  user: "User",
  project: "Project",
  agent: "Agent",
};

export const PERIOD_LABELS: Record<BudgetPeriod, string> = {
  daily: "Daily",
  weekly: "Weekly",
  monthly: "Monthly",
};

export const ACTION_LABELS: Record<BudgetAction, string> = {
  warn: "Warn",
  pause: "Pause agents",
  block: "Block calls",
};

/** What each action does once the limit is reached, for the editor's hint. */
export const ACTION_HINTS: Record<BudgetAction, string> = {
  warn: "Only notifies: spending goes on.",
  pause: "Pauses the agents in scope until the limit is raised or the period ends.",
  block: "Refuses any model call that could pass the limit.",
};

/** "Project · Website", or "Global (everyone)" for a limit over all usage. */
export function scopeLabel(limit: Pick<BudgetLimit, "scopeType" | "scopeName">): string {
  if (limit.scopeType === "global") return "Global (everyone)";
  return `${SCOPE_TYPE_LABELS[limit.scopeType]} · ${limit.scopeName}`;
}

/** Whole percent, except small non-zero figures keep one decimal so 0.4% does not read as 0%. */
export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return "—";
  const rounded = Math.abs(value) < 10 ? Math.round(value * 10) / 10 : Math.round(value);
  return `${rounded}%`;
}

/** The alert threshold is stored as a fraction (0–1); people set and read it as a percentage. */
export const thresholdPercent = (fraction: number): number => Math.round(fraction * 1000) / 10;
