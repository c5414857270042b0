// Budget periods in UTC, so a limit resets at the same instant for every user whatever their time zone.
import type { schema } from "@crewdeck/db";

type BudgetPeriod = schema.BudgetPeriod;

const DAY_MS = 86_400_000;

/** When the period containing `now` began: midnight, Monday 00:00, or the 1st at 00:00 (UTC). */
export function periodStart(period: BudgetPeriod, now: Date): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (period) {
    case "daily":
      return new Date(midnight);
    case "weekly": {
      const daysSinceMonday = (now.getUTCDay() + 6) % 7;
      return new Date(midnight - daysSinceMonday * DAY_MS);
    }
    case "monthly":
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  }
}

/** How messages name the current period: "today", "this week", "this month". */
export const currentPeriodName = (period: BudgetPeriod): string =>
  period === "daily" ? "today" : period === "weekly" ? "this week" : "this month";
