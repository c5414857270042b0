// Site-wide settings an administrator changes at runtime, shown beside the environment's defaults.
import { readSiteSettings, type SiteSettingsChanges, writeSiteSettings } from "@crewdeck/db";
import type { ApiDeps } from "../../context";
import type { Actor } from "../../lib/viewer";

export async function getSiteSettings({ db, settings }: Pick<ApiDeps, "db" | "settings">) {
  const current = await readSiteSettings(db, settings.siteDefaults);
  return { ...current, defaults: settings.siteDefaults };
}

export async function updateSiteSettings(
  deps: Pick<ApiDeps, "db" | "settings">,
  actor: Actor,
  changes: SiteSettingsChanges,
) {
  await writeSiteSettings(deps.db, changes, actor.userId);
  return getSiteSettings(deps);
}
