// Where the GitHub configuration comes from: an administrator's stored settings (secrets sealed at rest) or
// the server's environment. Stored settings replace the environment's as a whole, so an OAuth secret or app
// key from the environment is never sent to a GitHub URL an administrator chose for another server.
import { type Database, openSecret, schema, sealSecret } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { GitHubError } from "./errors";

export const DEFAULT_GITHUB_WEB_URL = "https://github.com";
export const DEFAULT_GITHUB_API_URL = "https://api.github.com";
const SETTINGS_ID = "default";
const PURPOSE = "github-settings";
const ADMIN_PATH = "/api/v1/admin/github";

/** What `apps/server/src/env.ts` read (GITHUB_*); the server hands it in, this package never reads the environment. */
export type GitHubEnvironment = {
  webUrl?: string | undefined;
  apiUrl?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  appId?: string | undefined;
  appPrivateKey?: string | undefined;
  webhookSecret?: string | undefined;
};

export type GitHubConfigSource = "admin" | "environment";

export type GitHubConfig = {
  source: GitHubConfigSource;
  webUrl: string;
  apiUrl: string;
  oauth: { clientId: string; clientSecret: string } | null;
  app: { appId: string; privateKey: string } | null;
  webhookSecret: string | null;
  /** What is missing or broken, in words that say how to fix it; empty when all is well. */
  issues: string[];
};

/** The settings for the admin screen: never a secret, only whether each is set. */
export type GitHubSettingsDescription = {
  source: GitHubConfigSource;
  webUrl: string;
  apiUrl: string;
  clientId: string | null;
  oauthConfigured: boolean;
  appId: string | null;
  appConfigured: boolean;
  webhookConfigured: boolean;
  issues: string[];
};

const trimUrl = (url: string) => url.replace(/\/+$/, "");

function open(secret: string, sealed: string | null, what: string, issues: string[]): string | null {
  if (!sealed) return null;
  try {
    return openSecret(secret, sealed, PURPOSE);
  } catch {
    issues.push(
      `The stored GitHub ${what} cannot be decrypted with this server's secret (was AUTH_SECRET or DATA_DIR/auth-secret changed?): store it again with PUT ${ADMIN_PATH}.`,
    );
    return null;
  }
}

export async function resolveGitHubConfig(
  db: Database,
  env: GitHubEnvironment,
  secret: string,
): Promise<GitHubConfig> {
  const row = await db.query.githubSettings.findFirst({ where: eq(schema.githubSettings.id, SETTINGS_ID) });
  const issues: string[] = [];
  const source: GitHubConfigSource = row ? "admin" : "environment";
  const values = row
    ? {
        webUrl: row.webUrl,
        apiUrl: row.apiUrl,
        clientId: row.clientId,
        clientSecret: open(secret, row.clientSecretEncrypted, "OAuth client secret", issues),
        appId: row.appId,
        appPrivateKey: open(secret, row.appPrivateKeyEncrypted, "app private key", issues),
        webhookSecret: open(secret, row.webhookSecretEncrypted, "webhook secret", issues),
      }
    : env;
  const oauth =
    values.clientId && values.clientSecret
      ? { clientId: values.clientId, clientSecret: values.clientSecret }
      : null;
  if (!oauth) {
    issues.push(
      source === "admin"
        ? `GitHub has administrator settings without a complete OAuth app: store clientId and clientSecret with PUT ${ADMIN_PATH}, or DELETE ${ADMIN_PATH} to use the server's GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET.`
        : `GitHub is not configured: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (an OAuth app whose callback is <APP_URL>/api/v1/github/callback) in the server's environment and restart it, or have an administrator store them with PUT ${ADMIN_PATH}.`,
    );
  }
  const app =
    values.appId && values.appPrivateKey ? { appId: values.appId, privateKey: values.appPrivateKey } : null;
  if (!app && (values.appId || values.appPrivateKey)) {
    issues.push(
      "The GitHub App needs both its id (GITHUB_APP_ID) and its private key (GITHUB_APP_PRIVATE_KEY).",
    );
  }
  return {
    source,
    webUrl: trimUrl(values.webUrl || DEFAULT_GITHUB_WEB_URL),
    apiUrl: trimUrl(values.apiUrl || DEFAULT_GITHUB_API_URL),
    oauth,
    app,
    webhookSecret: values.webhookSecret || null,
    issues,
  };
}

/** The OAuth app, or a `CONFLICT` error that says what to configure (never a 500). */
export function requireOAuthApp(config: GitHubConfig): { clientId: string; clientSecret: string } {
  if (config.oauth) return config.oauth;
  throw new GitHubError(
    "CONFLICT",
    "not_configured",
    config.issues.find((i) => i.includes("OAuth")) ?? "GitHub is not configured.",
  );
}

export async function describeGitHubSettings(
  db: Database,
  env: GitHubEnvironment,
  secret: string,
): Promise<GitHubSettingsDescription> {
  const config = await resolveGitHubConfig(db, env, secret);
  return {
    source: config.source,
    webUrl: config.webUrl,
    apiUrl: config.apiUrl,
    clientId: config.oauth?.clientId ?? null,
    oauthConfigured: config.oauth !== null,
    appId: config.app?.appId ?? null,
    appConfigured: config.app !== null,
    webhookConfigured: config.webhookSecret !== null,
    issues: config.issues,
  };
}

/** Each field: a value sets it, null forgets it, absent keeps it. */
export type GitHubSettingsChange = {
  webUrl?: string | null | undefined;
  apiUrl?: string | null | undefined;
  clientId?: string | null | undefined;
  clientSecret?: string | null | undefined;
  appId?: string | null | undefined;
  appPrivateKey?: string | null | undefined;
  webhookSecret?: string | null | undefined;
};

/** Stores an administrator's settings (secrets sealed); settings left empty are removed, so the environment applies. */
export async function setGitHubSettings(
  db: Database,
  secret: string,
  change: GitHubSettingsChange,
  userId: string | null,
): Promise<void> {
  const t = schema.githubSettings;
  const seal = (value: string | null | undefined) =>
    value ? sealSecret(secret, value, PURPOSE) : value === undefined ? undefined : null;
  const sealed = {
    clientSecretEncrypted: seal(change.clientSecret),
    appPrivateKeyEncrypted: seal(change.appPrivateKey),
    webhookSecretEncrypted: seal(change.webhookSecret),
  };
  await db.transaction(async (tx) => {
    const current = await tx.query.githubSettings.findFirst({ where: eq(t.id, SETTINGS_ID) });
    const pick = <K extends keyof NonNullable<typeof current>>(key: K, next: unknown) =>
      (next === undefined ? (current?.[key] ?? null) : next || null) as string | null;
    const values = {
      webUrl: pick("webUrl", change.webUrl),
      apiUrl: pick("apiUrl", change.apiUrl),
      clientId: pick("clientId", change.clientId),
      clientSecretEncrypted: pick("clientSecretEncrypted", sealed.clientSecretEncrypted),
      appId: pick("appId", change.appId),
      appPrivateKeyEncrypted: pick("appPrivateKeyEncrypted", sealed.appPrivateKeyEncrypted),
      webhookSecretEncrypted: pick("webhookSecretEncrypted", sealed.webhookSecretEncrypted),
    };
    if (Object.values(values).every((v) => v === null)) {
      await tx.delete(t).where(eq(t.id, SETTINGS_ID));
      return;
    }
    await tx
      .insert(t)
      .values({ id: SETTINGS_ID, ...values, updatedById: userId })
      .onConflictDoUpdate({ target: t.id, set: { ...values, updatedById: userId, updatedAt: new Date() } });
  });
}

/** Forgets the administrator's settings; true when there were any. */
export async function clearGitHubSettings(db: Database): Promise<boolean> {
  const t = schema.githubSettings;
  const removed = await db.delete(t).where(eq(t.id, SETTINGS_ID)).returning({ id: t.id });
  return removed.length > 0;
}
