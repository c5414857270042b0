// Connecting a person's GitHub account: a single-use state bound to them, GitHub's web flow, and the token
// kept sealed. Also how every other service gets a client for that person, and notices a revoked token.
import { randomBytes } from "node:crypto";
import { openSecret, schema, sealSecret } from "@crewdeck/db";
import { exchangeWebFlowCode } from "@octokit/oauth-methods";
import { request } from "@octokit/request";
import { and, eq, lt } from "drizzle-orm";
import type { GitHubClient } from "./client";
import type { GitHubDeps } from "./deps";
import { GitHubApiError, GitHubError, toGitHubError } from "./errors";
import { type GitHubConfig, requireOAuthApp, resolveGitHubConfig } from "./settings";

export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
/** Read access to the person and their repositories, write to issues, pull requests and code. */
export const DEFAULT_OAUTH_SCOPES = ["repo", "read:user", "user:email"];
const TOKEN_PURPOSE = "github-token";

export type ConnectUrl = { authUrl: string; state: string; expiresAt: Date };

/** A new single-use state for `userId` (10 minutes) and GitHub's authorize URL carrying it. */
export async function createConnectUrl(
  deps: GitHubDeps,
  input: { userId: string; redirectUri: string; scopes?: string[] },
): Promise<ConnectUrl> {
  const config = await resolveGitHubConfig(deps.db, deps.env, deps.secret);
  const { clientId } = requireOAuthApp(config);
  const now = deps.now();
  const state = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + OAUTH_STATE_TTL_MS);
  // Expired states are useless; clearing them here keeps the table small without a timer.
  await deps.db.delete(schema.oauthStates).where(lt(schema.oauthStates.expiresAt, now));
  await deps.db.insert(schema.oauthStates).values({ state, userId: input.userId, expiresAt });
  const url = new URL(`${config.webUrl}/login/oauth/authorize`);
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("scope", (input.scopes ?? DEFAULT_OAUTH_SCOPES).join(" "));
  url.searchParams.set("state", state);
  url.searchParams.set("allow_signup", "false");
  return { authUrl: url.toString(), state, expiresAt };
}

const invalidState = (message: string) => new GitHubError("VALIDATION_ERROR", "invalid_state", message);

/**
 * Uses up `state` for `userId`. Refuses a state that is unknown or already used, expired, or another
 * person's (which stays theirs: a leaked state cannot be burnt by someone else).
 */
export async function consumeOAuthState(
  deps: GitHubDeps,
  input: { userId: string; state: string },
): Promise<void> {
  const t = schema.oauthStates;
  const [taken] = await deps.db
    .delete(t)
    .where(and(eq(t.state, input.state), eq(t.userId, input.userId)))
    .returning();
  if (!taken) {
    const other = await deps.db.query.oauthStates.findFirst({ where: eq(t.state, input.state) });
    throw invalidState(
      other
        ? "This GitHub connection was started by another account: start again from your own settings."
        : "This GitHub connection link is unknown or was already used: start again from settings.",
    );
  }
  if (taken.expiresAt.getTime() <= deps.now().getTime()) {
    throw invalidState("This GitHub connection link expired (after 10 minutes): start again from settings.");
  }
}

export type GitHubStatus = {
  connected: boolean;
  /** GitHub refused the stored token (revoked or expired): the person must connect again. */
  needsReconnect: boolean;
  github: {
    username: string;
    profile: schema.GithubProfile;
    scopes: string[];
    connectedAt: Date;
    lastSyncAt: Date | null;
  } | null;
};

export async function getGitHubStatus(deps: GitHubDeps, userId: string): Promise<GitHubStatus> {
  const row = await deps.db.query.githubConnections.findFirst({
    where: eq(schema.githubConnections.userId, userId),
  });
  if (!row) return { connected: false, needsReconnect: false, github: null };
  return {
    connected: true,
    needsReconnect: row.tokenInvalidAt !== null,
    github: {
      username: row.username,
      profile: row.profile,
      scopes: row.scopes,
      connectedAt: row.connectedAt,
      lastSyncAt: row.lastSyncAt,
    },
  };
}

/** Trades GitHub's code for a token at `<web URL>/login/oauth/access_token`; a bad code is GitHub's error. */
export async function exchangeOAuthCode(
  config: GitHubConfig,
  input: { code: string; redirectUri?: string | undefined },
): Promise<{ token: string; scopes: string[] }> {
  const { clientId, clientSecret } = requireOAuthApp(config);
  try {
    const { authentication } = await exchangeWebFlowCode({
      clientType: "oauth-app",
      clientId,
      clientSecret,
      code: input.code,
      ...(input.redirectUri ? { redirectUrl: input.redirectUri } : {}),
      // oauth-methods finds the web root from this base URL (it strips an Enterprise `/api/v3`).
      request: request.defaults({ baseUrl: config.webUrl, headers: { "user-agent": "crewdeck" } }),
    });
    return { token: authentication.token, scopes: authentication.scopes };
  } catch (error) {
    // GitHub answers 200 with `{ error, error_description }` to a bad or used code; oauth-methods makes it
    // a 400 RequestError whose message is that description. Not a token problem, so no reconnect.
    const failure = toGitHubError(error);
    if (failure instanceof GitHubApiError && failure.status === 400) {
      throw new GitHubApiError(400, failure.githubMessage, false);
    }
    throw failure;
  }
}

/**
 * The whole connection: uses up the state, exchanges the code, reads `/user` with the new token and stores
 * the connection with the token sealed (replacing an earlier one). Returns the status, never the token.
 */
export async function connectGitHub(
  deps: GitHubDeps,
  input: { userId: string; code: string; state: string; redirectUri?: string | undefined },
): Promise<GitHubStatus> {
  const config = await resolveGitHubConfig(deps.db, deps.env, deps.secret);
  requireOAuthApp(config);
  await consumeOAuthState(deps, { userId: input.userId, state: input.state });
  const { token, scopes } = await exchangeOAuthCode(config, input);
  const octokit = deps.octokit({ type: "token", token }, config.apiUrl);
  const { data: me } = await octokit.rest.users.getAuthenticated().catch((error: unknown) => {
    throw toGitHubError(error);
  });
  const profile: schema.GithubProfile = {
    login: me.login,
    name: me.name ?? null,
    avatarUrl: me.avatar_url || null,
    htmlUrl: me.html_url,
    ...(typeof me.public_repos === "number" ? { publicRepos: me.public_repos } : {}),
  };
  const t = schema.githubConnections;
  const values = {
    githubUserId: me.id,
    username: me.login,
    profile,
    accessTokenEncrypted: sealSecret(deps.secret, token, TOKEN_PURPOSE),
    scopes,
    connectedAt: deps.now(),
    tokenInvalidAt: null,
  };
  await deps.db.transaction(async (tx) => {
    const previous = await tx.query.githubConnections.findFirst({ where: eq(t.userId, input.userId) });
    if (previous && previous.githubUserId !== me.id) {
      // Another GitHub account: the synced repositories were someone else's view.
      await tx.delete(schema.githubRepositories).where(eq(schema.githubRepositories.userId, input.userId));
      await tx.delete(schema.githubEtags).where(eq(schema.githubEtags.userId, input.userId));
    }
    await tx
      .insert(t)
      .values({ userId: input.userId, ...values })
      .onConflictDoUpdate({ target: t.userId, set: { ...values, lastSyncAt: null, updatedAt: new Date() } });
  });
  deps.logger?.info(`GitHub connected for user ${input.userId} as ${me.login}`);
  return getGitHubStatus(deps, input.userId);
}

/** Forgets the connection, its token and the repositories synced through it. True when there was one. */
export async function disconnectGitHub(deps: GitHubDeps, userId: string): Promise<boolean> {
  return deps.db.transaction(async (tx) => {
    await tx.delete(schema.githubRepositories).where(eq(schema.githubRepositories.userId, userId));
    await tx.delete(schema.githubEtags).where(eq(schema.githubEtags.userId, userId));
    const removed = await tx
      .delete(schema.githubConnections)
      .where(eq(schema.githubConnections.userId, userId))
      .returning({ id: schema.githubConnections.id });
    return removed.length > 0;
  });
}

export type UserGitHub = {
  octokit: GitHubClient;
  config: GitHubConfig;
  connection: typeof schema.githubConnections.$inferSelect;
};

/** A client acting as `userId` through their stored token; refuses when they have no usable connection. */
export async function userGitHub(deps: GitHubDeps, userId: string): Promise<UserGitHub> {
  const config = await resolveGitHubConfig(deps.db, deps.env, deps.secret);
  const connection = await deps.db.query.githubConnections.findFirst({
    where: eq(schema.githubConnections.userId, userId),
  });
  if (!connection) {
    throw new GitHubError(
      "CONFLICT",
      "not_connected",
      "Your GitHub account is not connected: connect it from settings first.",
    );
  }
  if (connection.tokenInvalidAt) {
    throw new GitHubError(
      "CONFLICT",
      "reconnect_required",
      "GitHub no longer accepts your stored token (revoked or expired): reconnect your GitHub account.",
    );
  }
  let token: string;
  try {
    token = openSecret(deps.secret, connection.accessTokenEncrypted, TOKEN_PURPOSE);
  } catch {
    throw new GitHubError(
      "CONFLICT",
      "reconnect_required",
      "Your stored GitHub token cannot be decrypted with this server's secret: reconnect your GitHub account.",
    );
  }
  return { octokit: deps.octokit({ type: "token", token }, config.apiUrl), config, connection };
}

/**
 * Runs a GitHub call as `userId`; its failure becomes a `GitHubError`, and a 401 marks the connection as
 * needing a reconnect (shown as such by `getGitHubStatus`) instead of failing again on every call.
 */
export async function asUser<T>(
  deps: GitHubDeps,
  userId: string,
  call: (github: UserGitHub) => Promise<T>,
): Promise<T> {
  const github = await userGitHub(deps, userId);
  try {
    return await call(github);
  } catch (error) {
    const failure = toGitHubError(error);
    if (failure instanceof GitHubApiError && failure.needsReconnect) {
      await markTokenInvalid(deps, userId);
    }
    throw failure;
  }
}

export async function markTokenInvalid(deps: GitHubDeps, userId: string): Promise<void> {
  await deps.db
    .update(schema.githubConnections)
    .set({ tokenInvalidAt: deps.now() })
    .where(eq(schema.githubConnections.userId, userId));
  deps.logger?.warn(`GitHub refused the token of user ${userId}; marked for reconnect`);
}
