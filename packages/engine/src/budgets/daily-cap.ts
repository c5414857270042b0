// The default per-user daily spend cap: anyone who may chat spends the operator's model key, so each person's
// own model calls (their chats and the runs they start) stop for the day at this amount, as a block limit would.
import { type Executor, readSiteSettings, usdToMicros } from "@crewdeck/db";
import type { BudgetLimitRow } from "./covering-limits";

/**
 * The cap in USD a day per person; 0 means none: an admin's runtime setting (PATCH /admin/settings) where
 * there is one, else the operator's default (DEFAULT_DAILY_SPEND_CAP_USD). Read at each reservation, so a
 * change applies to the next call without a restart.
 */
export async function dailySpendCapUsd(db: Executor, defaultUsd: number): Promise<number> {
  // Only the cap is read here; the sign-up mode's default does not matter to it.
  const settings = await readSiteSettings(db, { signupMode: "closed", dailySpendCapUsd: defaultUsd });
  return settings.dailySpendCapUsd;
}

/** The cap as the block limit it acts as, for the person `userId`; null when there is no cap. */
export function dailySpendCapLimit(
  userId: string,
  capUsd: number,
):
  | (Pick<BudgetLimitRow, "name" | "scopeType" | "scopeId" | "period" | "amountMicros" | "actionOnExceed"> & {
      id: null;
    })
  | null {
  if (!(capUsd > 0)) return null;
  return {
    id: null,
    name: "Daily spend cap",
    scopeType: "user",
    scopeId: userId,
    period: "daily",
    amountMicros: usdToMicros(capUsd),
    actionOnExceed: "block",
  };
}
