// Seed 002's "credits" for a person: what is left today of their daily spend cap (their own model calls,
// as the cap counts them), in USD. Crewdeck has no other credit notion.
import { type Executor, microsToUsd, schema, usdToMicros } from "@crewdeck/db";
import { dailySpendCapUsd, periodStart } from "@crewdeck/engine";
import { and, eq, gte, sql } from "drizzle-orm";

export type PersonCredits = {
  /** USD left today; null when there is no cap (nothing limits the person's spend). */
  credits: number | null;
  /** USD spent today by the person's own calls (pending ones at their estimate). */
  spentUsd: number;
};

export async function personCredits(
  db: Executor,
  userId: string,
  defaultCapUsd: number,
  now = new Date(),
): Promise<PersonCredits> {
  const d = schema.usageDaily;
  const [row] = await db
    .select({ spent: sql<number>`coalesce(sum(${d.costMicros}), 0)`.mapWith(Number) })
    .from(d)
    .where(and(eq(d.userId, userId), gte(d.day, periodStart("daily", now))));
  const spentMicros = row?.spent ?? 0;
  const capUsd = await dailySpendCapUsd(db, defaultCapUsd);
  const credits = capUsd > 0 ? microsToUsd(Math.max(0, usdToMicros(capUsd) - spentMicros)) : null;
  return { credits, spentUsd: microsToUsd(spentMicros) };
}
