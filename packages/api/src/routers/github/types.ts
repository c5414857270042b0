import { z } from "zod";
import { zBool, zIsoDate, zPage, zPageInput, zQueryBool } from "../../lib/schemas";

export const zConnectUrl = z.object({
  /** GitHub's authorize page; send the person's browser there. */
  authUrl: z.url(),
  /** Single-use, bound to the caller, valid for 10 minutes. */
  state: z.string(),
  expiresAt: zIsoDate,
});

export const zConnectInput = z.object({
  code: z.string().trim().min(1).max(200),
  state: z.string().trim().min(1).max(200),
});

export const zGitHubProfile = z.object({
  login: z.string(),
  name: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  htmlUrl: z.string().optional(),
  publicRepos: z.number().int().optional(),
});

export const zGitHubStatus = z.object({
  connected: z.boolean(),
  /** GitHub refused the stored token (revoked or expired): connect again. */
  needsReconnect: z.boolean(),
  github: z
    .object({
      username: z.string(),
      profile: zGitHubProfile,
      scopes: z.array(z.string()),
      connectedAt: zIsoDate,
      lastSyncAt: zIsoDate.nullable(),
    })
    .nullable(),
});

export const zDisconnected = z.object({ success: z.literal(true), disconnected: z.boolean() });

export const zListRepositoriesInput = zPageInput.extend({
  search: z.string().trim().max(200).optional(),
  /** true: only repositories linked to one of your projects; false: only those not linked. */
  connected: zQueryBool.optional(),
});

export const zGitHubRepository = z.object({
  id: z.string(),
  githubId: z.number().int(),
  name: z.string(),
  fullName: z.string(),
  description: z.string().nullable(),
  isPrivate: z.boolean(),
  defaultBranch: z.string(),
  language: z.string().nullable(),
  htmlUrl: z.string(),
  cloneUrl: z.string().nullable(),
  sshUrl: z.string().nullable(),
  stargazersCount: z.number().int(),
  forksCount: z.number().int(),
  pushedAt: zIsoDate.nullable(),
  /** Linked to one of your projects. */
  connected: z.boolean(),
});

export const zGitHubRepositoryPage = zPage(zGitHubRepository);

export const zSyncInput = z.object({
  /** Ask GitHub for every page in full instead of trusting unchanged ETags. */
  force: zBool.optional(),
});

export const zSyncResult = z.object({
  synced: z.number().int(),
  added: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
});

export const zRepositoryIdInput = z.object({ id: z.string().min(1).max(64) });

export const zBranchList = z.object({
  items: z.array(
    z.object({ name: z.string(), headSha: z.string(), protected: z.boolean(), isDefault: z.boolean() }),
  ),
});

const zSetting = z.string().trim().min(1).max(20_000).nullable().optional();
const zUrlSetting = z
  .url({ protocol: /^https?$/, error: "Must be an http(s) URL" })
  .max(2048)
  .nullable()
  .optional();

/** Each field: a value sets it, null forgets it, absent keeps it. Secrets are stored sealed. */
export const zUpdateGitHubSettingsInput = z.object({
  webUrl: zUrlSetting,
  apiUrl: zUrlSetting,
  clientId: z.string().trim().min(1).max(200).nullable().optional(),
  clientSecret: zSetting,
  appId: z.string().trim().min(1).max(50).nullable().optional(),
  appPrivateKey: zSetting,
  webhookSecret: zSetting,
});

/** What is configured, never a secret: only whether each is set, and where the settings come from. */
export const zGitHubSettings = z.object({
  source: z.enum(["admin", "environment"]),
  webUrl: z.string(),
  apiUrl: z.string(),
  clientId: z.string().nullable(),
  oauthConfigured: z.boolean(),
  appId: z.string().nullable(),
  appConfigured: z.boolean(),
  webhookConfigured: z.boolean(),
  /** What is missing or broken, in words that say how to fix it. */
  issues: z.array(z.string()),
  /** The OAuth app's callback URL to register on GitHub. */
  callbackUrl: z.string(),
});
