// The API's side of GitHub: the callback URL this server registers, DTOs with ISO times, and the raw
// callback's decision of where to send the browser. The work itself is @crewdeck/github's.
import {
  connectGitHub,
  describeGitHubSettings,
  GitHubError,
  type GitHubStatus,
  type RepositoryListItem,
} from "@crewdeck/github";
import type { ApiDeps, Context } from "../../context";
import { iso, isoOrNull } from "../../lib/schemas";
import { resolveViewer } from "../../lib/viewer";

export const GITHUB_CALLBACK_PATH = "/api/v1/github/callback";

/** GitHub sends the browser back here; the OAuth app must list it as its callback URL. */
export const githubRedirectUri = (deps: Pick<ApiDeps, "settings">) =>
  `${deps.settings.appUrl}${GITHUB_CALLBACK_PATH}`;

export const toStatusDto = (status: GitHubStatus) => ({
  connected: status.connected,
  needsReconnect: status.needsReconnect,
  github: status.github
    ? {
        username: status.github.username,
        profile: status.github.profile,
        scopes: status.github.scopes,
        connectedAt: iso(status.github.connectedAt),
        lastSyncAt: isoOrNull(status.github.lastSyncAt),
      }
    : null,
});

export const toGitHubRepositoryDto = (r: RepositoryListItem) => ({
  id: r.id,
  githubId: r.githubId,
  name: r.name,
  fullName: r.fullName,
  description: r.description,
  isPrivate: r.isPrivate,
  defaultBranch: r.defaultBranch,
  language: r.language,
  htmlUrl: r.htmlUrl,
  cloneUrl: r.cloneUrl,
  sshUrl: r.sshUrl,
  stargazersCount: r.stargazersCount,
  forksCount: r.forksCount,
  pushedAt: isoOrNull(r.pushedAt),
  connected: r.connected,
});

export async function describeSettings(deps: ApiDeps) {
  const description = await describeGitHubSettings(deps.db, deps.github.env, deps.github.secret);
  return { ...description, callbackUrl: githubRedirectUri(deps) };
}

export type CallbackQuery = {
  code?: string | undefined;
  state?: string | undefined;
  error?: string | undefined;
};

/**
 * Where the raw callback sends the browser. Signed in by cookie: the code is exchanged here, for that person
 * (the state must be theirs). The web app signs in with bearer tokens, which a redirect cannot carry: its
 * settings page gets the code and state in the fragment (never sent to a server or a log) and finishes with
 * `POST /github/connect`, where the state must again belong to the caller. Never throws.
 */
export async function githubCallbackLocation(
  ctx: Context,
  query: CallbackQuery,
  onUnexpected: (error: unknown) => void = () => {},
): Promise<string> {
  const settings = `${ctx.settings.appUrl}/settings`;
  const failed = (reason: string) => `${settings}?github=error&reason=${encodeURIComponent(reason)}`;
  // GitHub's own refusal, e.g. the person clicked "Cancel" (access_denied).
  if (query.error) return failed(/^[a-z_]{1,40}$/.test(query.error) ? query.error : "api_error");
  if (!query.code || !query.state || query.code.length > 200 || query.state.length > 200) {
    return failed("invalid_state");
  }
  try {
    const viewer = await resolveViewer(ctx.db, ctx.auth, ctx.headers).catch(() => null);
    if (!viewer) {
      const fragment = new URLSearchParams({ code: query.code, state: query.state });
      return `${settings}?github=finish#${fragment}`;
    }
    await connectGitHub(ctx.github, {
      userId: viewer.user.id,
      code: query.code,
      state: query.state,
      redirectUri: githubRedirectUri(ctx),
    });
    return `${settings}?github=connected`;
  } catch (error) {
    if (error instanceof GitHubError) return failed(error.reason);
    onUnexpected(error);
    return failed("internal_error");
  }
}
