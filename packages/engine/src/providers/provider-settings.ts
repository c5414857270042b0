// Where each provider's credentials come from: an administrator's stored settings (the key encrypted at
// rest) or the server's environment. Stored settings replace the environment's as a whole, so a key from
// the environment is never sent to a base URL an administrator chose for another server.
import { type Database, openSecret, schema, sealSecret } from "@crewdeck/db";
import { eq } from "drizzle-orm";

export type ModelProviderName = (typeof schema.MODEL_PROVIDERS)[number];
export const MODEL_PROVIDER_NAMES: readonly ModelProviderName[] = schema.MODEL_PROVIDERS;

/** Credentials from the environment; an admin's stored settings take precedence. */
export type ProviderEnvironment = {
  anthropicApiKey?: string | undefined;
  anthropicBaseUrl?: string | undefined;
  openaiApiKey?: string | undefined;
  openaiBaseUrl?: string | undefined;
};

export type ProviderSource = "admin" | "environment" | "none";

export type ProviderConfig = {
  provider: ModelProviderName;
  source: ProviderSource;
  apiKey: string | null;
  baseUrl: string | null;
  /** Why the provider cannot be used, in words that say how to fix it; null when it can. */
  issue: string | null;
};

export type ProviderDescription = {
  provider: ModelProviderName;
  configured: boolean;
  source: ProviderSource;
  baseUrl: string | null;
  /** The key's last four characters (`…abcd`), never the key. */
  keyHint: string | null;
  issue: string | null;
};

export const isModelProviderName = (name: string): name is ModelProviderName =>
  (MODEL_PROVIDER_NAMES as readonly string[]).includes(name);

const ADMIN_PATH = (provider: ModelProviderName) => `/api/v1/admin/providers/${provider}`;

/** What to do about a provider without usable credentials, naming the variables and the endpoint. */
function missingCredentials(provider: ModelProviderName, source: ProviderSource): string {
  if (provider === "anthropic") {
    if (source === "admin") {
      return `Anthropic has administrator settings without an API key: store one with PUT ${ADMIN_PATH(provider)} {"apiKey": "sk-ant-…"}, or DELETE ${ADMIN_PATH(provider)} to use the server's ANTHROPIC_API_KEY.`;
    }
    return `Anthropic is not configured: set ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for a proxy) in the server's environment and restart it, or have an administrator store a key with PUT ${ADMIN_PATH(provider)} {"apiKey": "sk-ant-…"}.`;
  }
  return `The OpenAI-compatible provider is not configured: set OPENAI_API_KEY (OpenAI), or OPENAI_BASE_URL alone for a server that needs no key (Ollama: http://localhost:11434/v1, vLLM), in the server's environment and restart it, or have an administrator store them with PUT ${ADMIN_PATH(provider)} {"apiKey": "…", "baseUrl": "…"}.`;
}

const environmentOf = (provider: ModelProviderName, env: ProviderEnvironment) =>
  provider === "anthropic"
    ? { apiKey: env.anthropicApiKey || null, baseUrl: env.anthropicBaseUrl || null }
    : { apiKey: env.openaiApiKey || null, baseUrl: env.openaiBaseUrl || null };

/** Anthropic needs a key; an OpenAI-compatible server needs a key or its own base URL. */
const hasCredentials = (provider: ModelProviderName, apiKey: string | null, baseUrl: string | null) =>
  provider === "anthropic" ? Boolean(apiKey) : Boolean(apiKey || baseUrl);

export async function resolveProviderConfig(
  db: Database,
  env: ProviderEnvironment,
  secret: string,
  provider: ModelProviderName,
): Promise<ProviderConfig> {
  const row = await db.query.providerSettings.findFirst({
    where: eq(schema.providerSettings.provider, provider),
  });
  if (row && (row.apiKeyEncrypted || row.baseUrl)) {
    let apiKey: string | null = null;
    if (row.apiKeyEncrypted) {
      try {
        apiKey = openSecret(secret, row.apiKeyEncrypted);
      } catch {
        const issue = `The stored ${provider} API key cannot be decrypted with this server's secret (was AUTH_SECRET or DATA_DIR/auth-secret changed?): store it again with PUT ${ADMIN_PATH(provider)}, or DELETE it to use the environment's.`;
        return { provider, source: "admin", apiKey: null, baseUrl: row.baseUrl, issue };
      }
    }
    const issue = hasCredentials(provider, apiKey, row.baseUrl)
      ? null
      : missingCredentials(provider, "admin");
    return { provider, source: "admin", apiKey, baseUrl: row.baseUrl, issue };
  }
  const { apiKey, baseUrl } = environmentOf(provider, env);
  const source: ProviderSource = apiKey || baseUrl ? "environment" : "none";
  const issue = hasCredentials(provider, apiKey, baseUrl) ? null : missingCredentials(provider, source);
  return { provider, source, apiKey, baseUrl, issue };
}

function keyHint(apiKey: string | null): string | null {
  if (!apiKey) return null;
  // A short key would be half given away by its last four characters.
  return apiKey.length >= 12 ? `…${apiKey.slice(-4)}` : "…";
}

/** Every provider's state for the admin screen; the keys themselves never leave this function. */
export async function describeProviders(
  db: Database,
  env: ProviderEnvironment,
  secret: string,
): Promise<ProviderDescription[]> {
  const configs = await Promise.all(
    MODEL_PROVIDER_NAMES.map((provider) => resolveProviderConfig(db, env, secret, provider)),
  );
  return configs.map((c) => ({
    provider: c.provider,
    configured: c.issue === null,
    source: c.source,
    baseUrl: c.baseUrl,
    keyHint: keyHint(c.apiKey),
    issue: c.issue,
  }));
}

export type ProviderSettingsChange = {
  /** A new key; null forgets the stored one; absent keeps it. */
  apiKey?: string | null | undefined;
  /** A new base URL; null forgets it; absent keeps it. */
  baseUrl?: string | null | undefined;
};

/** Stores an administrator's settings (the key sealed); settings left with nothing in them are removed. */
export async function setProviderSettings(
  db: Database,
  secret: string,
  provider: ModelProviderName,
  change: ProviderSettingsChange,
  userId: string | null,
): Promise<void> {
  const t = schema.providerSettings;
  const sealed = change.apiKey ? sealSecret(secret, change.apiKey) : change.apiKey;
  await db.transaction(async (tx) => {
    const current = await tx.query.providerSettings.findFirst({ where: eq(t.provider, provider) });
    const apiKeyEncrypted = sealed === undefined ? (current?.apiKeyEncrypted ?? null) : sealed;
    const baseUrl = change.baseUrl === undefined ? (current?.baseUrl ?? null) : change.baseUrl;
    if (!apiKeyEncrypted && !baseUrl) {
      await tx.delete(t).where(eq(t.provider, provider));
      return;
    }
    const values = { apiKeyEncrypted, baseUrl, updatedById: userId };
    await tx
      .insert(t)
      .values({ provider, ...values })
      .onConflictDoUpdate({ target: t.provider, set: { ...values, updatedAt: new Date() } });
  });
}

/** Forgets an administrator's settings, so the environment's apply again. True when there were any. */
export async function clearProviderSettings(db: Database, provider: ModelProviderName): Promise<boolean> {
  const t = schema.providerSettings;
  const removed = await db.delete(t).where(eq(t.provider, provider)).returning({ provider: t.provider });
  return removed.length > 0;
}
