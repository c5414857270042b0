// Which limits the banner at the top of every page talks about, and what reaching them means. The
// summary's alerts say which limits have crossed a threshold this period; the limits list, when it is at
// hand, has their current spend and the action taken on exceeding, so a limit raised since its alert
// stops showing and the banner can say what happens now.
import type { RouterOutputs } from "../../lib/trpc";
import type { BudgetLimit } from "./budget-labels";

export type BudgetSummary = RouterOutputs["budgets"]["summary"];
export type LimitState = "ok" | "warning" | "exceeded";

export type BannerEntry = {
  limitId: string;
  state: Exclude<LimitState, "ok">;
  name: string;
  spentUsd: number;
  limitUsd: number;
  percentage: number;
  /** What reaching the limit does (paused, blocked, only warns); null when the limit is not at hand. */
  consequence: string | null;
};

export type BudgetBannerModel = { tone: "warning" | "danger"; entries: BannerEntry[] };

// Compared in whole micro-dollars, as the server does, so float rounding never disagrees with it.
const micros = (usd: number) => Math.round(usd * 1_000_000);

export function limitState(
  limit: Pick<BudgetLimit, "isActive" | "spentUsd" | "amountUsd" | "alertThreshold">,
): LimitState {
  if (!limit.isActive) return "ok";
  const spent = micros(limit.spentUsd);
  const amount = micros(limit.amountUsd);
  if (spent >= amount) return "exceeded";
  if (spent > 0 && spent >= limit.alertThreshold * amount) return "warning";
  return "ok";
}

const UNTIL = "until the limit is raised or the period ends.";

/** What a reached limit does, in the words of its action and scope. */
export function exceededConsequence(limit: Pick<BudgetLimit, "actionOnExceed" | "scopeType">): string {
  switch (limit.actionOnExceed) {
    case "warn":
      return "Spending goes on: this limit only warns.";
    case "block":
      return `New model calls are blocked ${UNTIL}`;
    case "pause":
      if (limit.scopeType === "agent") return `The agent is paused ${UNTIL}`;
      if (limit.scopeType === "project") return `The project's agents are paused ${UNTIL}`;
      return `Model calls are paused ${UNTIL}`;
  }
}

const RANK = { warning: 1, exceeded: 2 } as const;

function fromLimit(limit: BudgetLimit, state: BannerEntry["state"]): BannerEntry {
  return {
    limitId: limit.id,
    state,
    name: limit.name,
    spentUsd: limit.spentUsd,
    limitUsd: limit.amountUsd,
    percentage: limit.percentage,
    consequence: state === "exceeded" ? exceededConsequence(limit) : null,
  };
}

/** The banner to show, worst first; null when every limit is comfortably under its threshold. */
export function budgetBanner(
  summary: BudgetSummary | undefined,
  limits: BudgetLimit[] | undefined,
): BudgetBannerModel | null {
  const entries = new Map<string, BannerEntry>();
  const known = new Set(limits?.map((limit) => limit.id));
  for (const limit of limits ?? []) {
    const state = limitState(limit);
    if (state !== "ok") entries.set(limit.id, fromLimit(limit, state));
  }
  for (const alert of summary?.alerts ?? []) {
    // A listed limit's current figures are newer than any alert about it.
    if (known.has(alert.limitId)) continue;
    const state = alert.level === "critical" ? "exceeded" : "warning";
    const existing = entries.get(alert.limitId);
    if (existing && RANK[existing.state] >= RANK[state]) continue;
    entries.set(alert.limitId, {
      limitId: alert.limitId,
      state,
      name: alert.scope.name,
      spentUsd: alert.spentUsd,
      limitUsd: alert.limitUsd,
      percentage: alert.percentage,
      consequence: null,
    });
  }
  if (entries.size === 0) return null;
  const sorted = [...entries.values()].sort(
    (a, b) => RANK[b.state] - RANK[a.state] || b.percentage - a.percentage,
  );
  return { tone: sorted[0]?.state === "exceeded" ? "danger" : "warning", entries: sorted };
}
