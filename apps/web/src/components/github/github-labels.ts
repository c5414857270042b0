// GitHub's outcomes in words: the callback's `?github=…&reason=…`, the error reasons the API sends in
// `details.reason`, and the sync counts. Kept apart from the components so they are tested without a browser.
import { contractError } from "../../lib/errors";

const REASONS: Record<string, string> = {
  not_configured:
    "GitHub is not set up on this server yet. An administrator can add an OAuth app under Administration → GitHub, or set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET.",
  not_connected: "Your GitHub account is not connected yet.",
  reconnect_required:
    "GitHub no longer accepts your connection (it was revoked or expired). Reconnect to go on.",
  invalid_state:
    "That connection link was already used, expired, or was started from another account. Start again with Connect GitHub.",
  access_denied: "You cancelled on GitHub, so nothing was connected.",
  rate_limited: "GitHub is limiting requests right now. Try again in a few minutes.",
  api_error: "GitHub refused the request. Try again, or reconnect if it keeps failing.",
  internal_error: "Something went wrong on the server while connecting. Try again in a moment.",
};

export const reasonText = (reason: string | null | undefined): string =>
  (reason && REASONS[reason]) || REASONS.api_error!;

/** The API error's `details.reason`, if it is a GitHub error. */
export function githubReason(error: unknown): string | null {
  const details = contractError(error)?.details;
  return details && typeof details === "object" && "reason" in details && typeof details.reason === "string"
    ? details.reason
    : null;
}

export type CallbackOutcome =
  | { kind: "connected" }
  | { kind: "error"; message: string }
  | { kind: "finish"; code: string; state: string }
  | null;

/** What the settings page was sent back with: `?github=connected`, `=error&reason=`, or `=finish#code&state`. */
export function callbackOutcome(search: URLSearchParams, hash: string): CallbackOutcome {
  const result = search.get("github");
  if (result === "connected") return { kind: "connected" };
  if (result === "error") return { kind: "error", message: reasonText(search.get("reason")) };
  if (result === "finish") {
    const fragment = new URLSearchParams(hash.replace(/^#/, ""));
    const code = fragment.get("code");
    const state = fragment.get("state");
    return code && state
      ? { kind: "finish", code, state }
      : { kind: "error", message: reasonText("invalid_state") };
  }
  return null;
}

export function syncSummary(result: { synced: number; added: number; updated: number; removed: number }) {
  const changes = [
    result.added && `${result.added} new`,
    result.updated && `${result.updated} updated`,
    result.removed && `${result.removed} removed`,
  ].filter(Boolean);
  return `${`${result.synced} ${result.synced === 1 ? "repository" : "repositories"}`} synced${changes.length ? ` (${changes.join(", ")})` : ", nothing changed"}`;
}
