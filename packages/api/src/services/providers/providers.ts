// Model provider credentials as administrators see and change them; the keys never come back out.

import { schema } from "@crewdeck/db";
import {
  clearProviderSettings,
  describeProviders,
  type ModelProviderName,
  type ProviderSettingsChange,
  setProviderSettings,
} from "@crewdeck/engine";
import { eq } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { invalid } from "../../errors";

type Deps = Pick<ApiDeps, "db" | "settings">;

export async function listProviders({ db, settings }: Deps) {
  return { items: await describeProviders(db, settings.providerEnvironment, settings.providerSecret) };
}

async function describeProvider(deps: Deps, provider: ModelProviderName) {
  const { items } = await listProviders(deps);
  const found = items.find((p) => p.provider === provider);
  // Every known provider is described; a miss would be a bug in the list, not a caller's mistake.
  if (!found) throw new Error(`No description of provider ${provider}`);
  return found;
}

export async function updateProvider(
  deps: Deps,
  provider: ModelProviderName,
  change: ProviderSettingsChange,
  userId: string,
) {
  if (change.apiKey === undefined && change.baseUrl === undefined) {
    throw invalid("Nothing to change: send apiKey and/or baseUrl (null forgets one)", [
      { field: "apiKey", message: "Send apiKey or baseUrl" },
    ]);
  }
  await assertKeyFollowsHost(deps, provider, change);
  await setProviderSettings(deps.db, deps.settings.providerSecret, provider, change, userId);
  return describeProvider(deps, provider);
}

/**
 * A stored key was entered for one host: moving the base URL elsewhere (null included, which means the
 * provider's own) without sending the key again would hand it to the new host. Whoever changes the host
 * must know the key, or forget it with `apiKey: null`.
 */
async function assertKeyFollowsHost(deps: Deps, provider: ModelProviderName, change: ProviderSettingsChange) {
  if (change.baseUrl === undefined || change.apiKey !== undefined) return;
  const stored = await deps.db.query.providerSettings.findFirst({
    where: eq(schema.providerSettings.provider, provider),
  });
  if (!stored?.apiKeyEncrypted || (stored.baseUrl ?? null) === change.baseUrl) return;
  throw invalid(
    "Changing the base URL needs the API key again (or apiKey: null to forget it): the stored key would otherwise be sent to the new host",
    [{ field: "apiKey", message: "Required when baseUrl changes while a key is stored" }],
  );
}

/** Forgets an administrator's settings; the environment's apply again. */
export async function resetProvider(deps: Deps, provider: ModelProviderName) {
  await clearProviderSettings(deps.db, provider);
  return describeProvider(deps, provider);
}
