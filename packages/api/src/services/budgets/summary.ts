// The budget banner (§2.9 GET /budget/summary): spend today, this week and this month, against the
// tightest limit that covers everything the viewer does, and the alerts of the current periods.

import { type Executor, iso, microsToUsd, schema, usdToMicros } from "@crewdeck/db";
import {
  budgetAlertMessage,
  dailySpendCapUsd,
  describeLimitScope,
  percentOf,
  periodStart,
} from "@crewdeck/engine";
import { and, desc, eq, gte, inArray, or, type SQL, sql } from "drizzle-orm";
import { type BudgetViewer, memberProjectIds, visibleLimits } from "./limit-access";

const RECENT_ALERTS = 20;
type Period = schema.BudgetPeriod;
const PERIODS = { today: "daily", week: "weekly", month: "monthly" } as const satisfies Record<
  string,
  Period
>;

/** Usage the viewer can see: an admin everything, anyone else their own calls and their projects' calls. */
function visibleUsage(db: Executor, viewer: BudgetViewer): SQL | undefined {
  if (viewer.isAdmin) return undefined;
  const d = schema.usageDaily;
  return or(eq(d.userId, viewer.userId), inArray(d.projectId, memberProjectIds(db, viewer.userId)));
}

/**
 * Spend per period from the daily buckets (every period starts at a UTC midnight), so a month of a million
 * calls sums a few thousand rows. Pending calls count at their estimate, as the buckets hold them.
 */
async function spendSince(db: Executor, viewer: BudgetViewer, starts: Record<Period, Date>) {
  const d = schema.usageDaily;
  const since = new Date(Math.min(starts.weekly.getTime(), starts.monthly.getTime()));
  const sumSince = (start: Date) =>
    sql<number>`coalesce(sum(case when ${d.day} >= ${start.getTime()} then ${d.costMicros} else 0 end), 0)`.mapWith(
      Number,
    );
  const [row] = await db
    .select({
      daily: sumSince(starts.daily),
      weekly: sumSince(starts.weekly),
      monthly: sumSince(starts.monthly),
    })
    .from(d)
    .where(and(gte(d.day, since), visibleUsage(db, viewer)));
  return { daily: row?.daily ?? 0, weekly: row?.weekly ?? 0, monthly: row?.monthly ?? 0 };
}

/**
 * The smallest active amount per period among the limits over all the viewer's calls: global and their own,
 * and the daily spend cap every person has.
 */
async function tightestLimits(
  db: Executor,
  viewer: BudgetViewer,
  defaultCapUsd: number,
): Promise<Partial<Record<Period, number>>> {
  const l = schema.budgetLimits;
  const rows = await db
    .select({ period: l.period, amountMicros: l.amountMicros })
    .from(l)
    .where(
      and(
        eq(l.isActive, true),
        or(eq(l.scopeType, "global"), and(eq(l.scopeType, "user"), eq(l.scopeId, viewer.userId))),
      ),
    );
  const capUsd = await dailySpendCapUsd(db, defaultCapUsd);
  if (capUsd > 0) rows.push({ period: "daily", amountMicros: usdToMicros(capUsd) });
  const tightest: Partial<Record<Period, number>> = {};
  for (const { period, amountMicros } of rows)
    tightest[period] = Math.min(tightest[period] ?? amountMicros, amountMicros);
  return tightest;
}

/** Alerts of the limits the viewer sees, sent in each limit's current period, newest first. */
async function currentAlerts(db: Executor, viewer: BudgetViewer, starts: Record<Period, Date>) {
  const a = schema.budgetAlerts;
  const l = schema.budgetLimits;
  const inCurrentPeriod = or(
    ...Object.values(PERIODS).map((period) => and(eq(l.period, period), eq(a.periodStart, starts[period]))),
  );
  const rows = await db
    .select({ alert: a, limit: l })
    .from(a)
    .innerJoin(l, eq(l.id, a.limitId))
    .where(and(eq(l.isActive, true), inCurrentPeriod, visibleLimits(db, viewer)))
    .orderBy(desc(a.createdAt), desc(a.id))
    .limit(RECENT_ALERTS);
  return Promise.all(
    rows.map(async ({ alert, limit }) => {
      const scope = await describeLimitScope(db, limit);
      return {
        id: alert.id,
        limitId: limit.id,
        level: alert.level,
        scope: { type: limit.scopeType, id: limit.scopeId, name: scope.name },
        spentUsd: microsToUsd(alert.spentMicros),
        limitUsd: microsToUsd(alert.limitMicros),
        percentage: percentOf(alert.spentMicros, alert.limitMicros),
        message: budgetAlertMessage({
          level: alert.level,
          limit,
          scopeName: scope.name,
          spentMicros: alert.spentMicros,
          limitMicros: alert.limitMicros,
        }),
        createdAt: iso(alert.createdAt),
      };
    }),
  );
}

export async function getBudgetSummary(
  db: Executor,
  viewer: BudgetViewer,
  now: Date,
  /** The environment's daily spend cap, in force unless an admin set another. */
  defaultCapUsd: number,
) {
  const starts: Record<Period, Date> = {
    daily: periodStart("daily", now),
    weekly: periodStart("weekly", now),
    monthly: periodStart("monthly", now),
  };
  const [spent, limits, alerts] = await Promise.all([
    spendSince(db, viewer, starts),
    tightestLimits(db, viewer, defaultCapUsd),
    currentAlerts(db, viewer, starts),
  ]);
  const figures = (period: Period) => {
    const limit = limits[period];
    return {
      spentUsd: microsToUsd(spent[period]),
      limitUsd: limit === undefined ? null : microsToUsd(limit),
      percentage: limit === undefined ? null : percentOf(spent[period], limit),
    };
  };
  return { today: figures("daily"), week: figures("weekly"), month: figures("monthly"), alerts };
}
