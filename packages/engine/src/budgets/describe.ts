// How limits, their scopes and their alerts read to people: in notifications, events, errors and the API.
import { type Executor, microsToUsd, schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import type { BudgetLimitRow } from "./covering-limits";
import { currentPeriodName } from "./periods";
import { percentOf } from "./spend";

export type ScopeDescription = {
  /** The user's, project's or agent's name; "Global" for global limits. */
  name: string;
  /** The project a project or agent limit belongs to: whose owners hear about it. */
  projectId: string | null;
};

const GONE = "(deleted)";

/** The name of a limit's scope and the project it sits in. */
export async function describeLimitScope(
  db: Executor,
  limit: Pick<BudgetLimitRow, "scopeType" | "scopeId">,
): Promise<ScopeDescription> {
  const id = limit.scopeId ?? "";
  switch (limit.scopeType) {
    case "global":
      return { name: "Global", projectId: null };
    case "user": {
      const user = await db.query.users.findFirst({
        columns: { name: true },
        where: eq(schema.users.id, id),
      });
      return { name: user?.name ?? GONE, projectId: null };
    }
    case "project": {
      const project = await db.query.projects.findFirst({
        columns: { name: true },
        where: eq(schema.projects.id, id),
      });
      return { name: project?.name ?? GONE, projectId: project ? id : null };
    }
    case "agent": {
      const agent = await db.query.agents.findFirst({
        columns: { name: true, projectId: true },
        where: eq(schema.agents.id, id),
      });
      return { name: agent?.name ?? GONE, projectId: agent?.projectId ?? null };
    }
  }
}

/** USD for messages: cents, or four decimals for amounts under a dollar so small spend is not "0.00". */
export function formatUsd(micros: number): string {
  const usd = microsToUsd(micros);
  return Math.abs(usd) >= 1 || usd === 0 ? usd.toFixed(2) : String(Number(usd.toFixed(4)));
}

const SCOPE_LABEL: Record<schema.BudgetScopeType, string> = {
  global: "All usage",
  user: "User",
  project: "Project",
  agent: "Agent",
};

export type BudgetAlertText = {
  level: schema.BudgetAlertLevel;
  limit: Pick<BudgetLimitRow, "name" | "scopeType" | "period">;
  scopeName: string;
  spentMicros: number;
  limitMicros: number;
};

/** The one-line account of an alert, shared by the event, the notification and the budget summary. */
export function budgetAlertMessage({ level, limit, scopeName, spentMicros, limitMicros }: BudgetAlertText) {
  const who =
    limit.scopeType === "global" ? SCOPE_LABEL.global : `${SCOPE_LABEL[limit.scopeType]} ${scopeName}`;
  const figures = `${formatUsd(spentMicros)} of ${formatUsd(limitMicros)} USD ${currentPeriodName(limit.period)}`;
  return level === "critical"
    ? `${who} has reached the limit "${limit.name}": ${figures}`
    : `${who} is at ${percentOf(spentMicros, limitMicros)}% of the limit "${limit.name}": ${figures}`;
}
