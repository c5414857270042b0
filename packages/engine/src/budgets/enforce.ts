// After spend changed: each covering limit that crossed its alert threshold or its amount says so, once
// per period and level, to the people responsible for it; a reached `pause` limit pauses its agents.
import { type Executor, microsToUsd, schema } from "@crewdeck/db";
import { and, eq, ne } from "drizzle-orm";
import type { EngineDeps } from "../engine-deps";
import { transactionWithEvents } from "../events/outbox";
import { publishNotification } from "../events/publish-notification";
import type { EventInput } from "../events/types";
import {
  type NotificationInput,
  type NotifyOptions,
  notifyProjectMembers,
  notifyUser,
} from "../notifications/notify";
import { publishAgentStatus } from "../runs/run-events";
import { type BudgetLimitRow, type BudgetSubject, findCoveringLimits } from "./covering-limits";
import { budgetAlertMessage, describeLimitScope, type ScopeDescription } from "./describe";
import { measureLimitSpend, percentOf } from "./spend";

type AlertLevel = schema.BudgetAlertLevel;
type PausedAgent = { id: string; projectId: string };

/** The levels `spentMicros` has reached, lowest first. */
function levelsReached(limit: BudgetLimitRow, spentMicros: number): AlertLevel[] {
  const levels: AlertLevel[] = [];
  if (spentMicros >= limit.alertThreshold * limit.amountMicros) levels.push("warning");
  if (spentMicros >= limit.amountMicros) levels.push("critical");
  return levels;
}

const PAUSE_NOTE: Partial<Record<schema.BudgetScopeType, string>> = {
  project: " The project's agents are paused.",
  agent: " The agent is paused.",
};

/** Sets the agents in a limit's scope to paused; returns those that were not paused already. */
async function pauseAgentsInScope(tx: Executor, limit: BudgetLimitRow): Promise<PausedAgent[]> {
  const a = schema.agents;
  const id = limit.scopeId ?? "";
  const inScope =
    limit.scopeType === "project" ? eq(a.projectId, id) : limit.scopeType === "agent" ? eq(a.id, id) : null;
  if (!inScope) return [];
  return tx
    .update(a)
    .set({ status: "paused" })
    .where(and(inScope, ne(a.status, "paused")))
    .returning({ id: a.id, projectId: a.projectId });
}

async function adminIds(db: Executor): Promise<string[]> {
  const rows = await db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(eq(schema.users.role, "admin"));
  return rows.map((row) => row.id);
}

/** Where the `budget_alert` event goes: the project's members, the user, or each admin for global limits. */
function alertScopes(
  limit: BudgetLimitRow,
  scope: ScopeDescription,
  admins: string[],
): EventInput["scope"][] {
  switch (limit.scopeType) {
    case "global":
      return admins.map((userId) => ({ userId }));
    case "user":
      return [{ userId: limit.scopeId }];
    default:
      return scope.projectId ? [{ projectId: scope.projectId }] : [];
  }
}

/** One notification each for those who answer for the limit: project owners, the user, or every admin. */
async function notifyResponsible(
  tx: Executor,
  limit: BudgetLimitRow,
  scope: ScopeDescription,
  admins: string[],
  notice: NotificationInput,
  options: NotifyOptions,
): Promise<void> {
  switch (limit.scopeType) {
    case "global":
      for (const userId of admins) await notifyUser(tx, { ...notice, userId }, options);
      return;
    case "user": {
      const user = await tx.query.users.findFirst({
        columns: { id: true },
        where: eq(schema.users.id, limit.scopeId ?? ""),
      });
      if (user) await notifyUser(tx, { ...notice, userId: user.id }, options);
      return;
    }
    default: {
      if (!scope.projectId) return;
      await notifyProjectMembers(tx, scope.projectId, notice, { ...options, minRole: "owner" });
    }
  }
}

async function enforceLimit(deps: EngineDeps, limit: BudgetLimitRow, now: Date): Promise<void> {
  const spend = await measureLimitSpend(deps.db, limit, now);
  // Alerts report money spent; the worst-case holds of calls in flight are not spend yet.
  const spent = spend.settledMicros;
  const reached = levelsReached(limit, spent);
  if (reached.length === 0) return;
  const scope = await describeLimitScope(deps.db, limit);
  // The alert, its notifications, the agents it paused and the events that announce them commit together:
  // nobody hears of an alert that was rolled back, and one committed is heard even if this process dies.
  await transactionWithEvents(deps, async (tx, events) => {
    // The unique (limit, period, level) key decides who acts: of any number of racing calls, in this process
    // or another, exactly one inserts the row, and only that one sends anything.
    const inserted = await tx
      .insert(schema.budgetAlerts)
      .values(
        reached.map((level) => ({
          limitId: limit.id,
          periodStart: spend.periodStart,
          level,
          spentMicros: spent,
          limitMicros: limit.amountMicros,
        })),
      )
      .onConflictDoNothing()
      .returning({ level: schema.budgetAlerts.level });
    if (inserted.length === 0) return null;
    // Crossing both thresholds at once records both but sends only the critical alert.
    const level: AlertLevel = inserted.some((row) => row.level === "critical") ? "critical" : "warning";
    const pauses = level === "critical" && limit.actionOnExceed === "pause";
    const paused = pauses ? await pauseAgentsInScope(tx, limit) : [];
    const figures = {
      level,
      limit,
      scopeName: scope.name,
      spentMicros: spent,
      limitMicros: limit.amountMicros,
    };
    const message = `${budgetAlertMessage(figures)}.${pauses ? (PAUSE_NOTE[limit.scopeType] ?? "") : ""}`;
    const notice: NotificationInput = {
      type: "budget_alert",
      severity: level,
      title: level === "critical" ? `Budget limit reached: ${limit.name}` : `Budget warning: ${limit.name}`,
      message,
      data: { limitId: limit.id, ...(scope.projectId ? { projectId: scope.projectId } : {}) },
    };
    const admins = limit.scopeType === "global" ? await adminIds(tx) : [];
    for (const eventScope of alertScopes(limit, scope, admins)) {
      await events.publish({
        type: "budget_alert",
        scope: eventScope,
        payload: {
          level,
          scope: { type: limit.scopeType, id: limit.scopeId, name: scope.name },
          limitId: limit.id,
          currentUsd: microsToUsd(spent),
          limitUsd: microsToUsd(limit.amountMicros),
          percentage: percentOf(spent, limit.amountMicros),
          message,
        },
      });
    }
    await notifyResponsible(tx, limit, scope, admins, notice, { onCreated: publishNotification(events) });
    for (const agent of paused) await publishAgentStatus({ bus: events, now: deps.now }, agent, "paused");
  });
}

/**
 * After spend changed: alerts, pause actions. Never throws: a limit that cannot be enforced is logged and
 * the others still are, and the model call that triggered this has already been recorded either way.
 */
export async function enforceBudgets(deps: EngineDeps, subject: BudgetSubject): Promise<void> {
  const now = deps.now();
  let limits: BudgetLimitRow[];
  try {
    limits = await findCoveringLimits(deps.db, subject);
  } catch (error) {
    deps.logger.error("Budget limits could not be read for enforcement", error);
    return;
  }
  for (const limit of limits) {
    try {
      await enforceLimit(deps, limit, now);
    } catch (error) {
      deps.logger.error(`Budget limit ${limit.id} (${limit.name}) could not be enforced`, error);
    }
  }
}
