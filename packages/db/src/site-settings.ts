// The site settings in force: an administrator's stored choice where there is one, the environment's otherwise.
import type { SignupMode } from "@crewdeck/domain";
import { eq } from "drizzle-orm";
import type { Database, Executor } from "./client";
import { microsToUsd, usdToMicros } from "./money";
import { siteSettings } from "./schema/site";

export type SiteSettings = {
  signupMode: SignupMode;
  /** Each person's model spend per UTC day, in USD; 0 means no cap. */
  dailySpendCapUsd: number;
};

export type SiteSettingsChanges = Partial<SiteSettings>;

const ROW_ID = "default";

export async function readSiteSettings(db: Executor, defaults: SiteSettings): Promise<SiteSettings> {
  const [row] = await db.select().from(siteSettings).where(eq(siteSettings.id, ROW_ID)).limit(1);
  return {
    signupMode: row?.signupMode ?? defaults.signupMode,
    dailySpendCapUsd:
      row?.dailySpendCapMicros == null ? defaults.dailySpendCapUsd : microsToUsd(row.dailySpendCapMicros),
  };
}

/** Stores an administrator's choices; fields left out keep their stored value (or the environment's). */
export async function writeSiteSettings(
  db: Database,
  changes: SiteSettingsChanges,
  updatedById: string,
): Promise<void> {
  const values = {
    ...(changes.signupMode !== undefined && { signupMode: changes.signupMode }),
    ...(changes.dailySpendCapUsd !== undefined && {
      dailySpendCapMicros: usdToMicros(changes.dailySpendCapUsd),
    }),
  };
  await db
    .insert(siteSettings)
    .values({ id: ROW_ID, ...values, updatedById })
    .onConflictDoUpdate({ target: siteSettings.id, set: { ...values, updatedById, updatedAt: new Date() } });
}
