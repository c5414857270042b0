// Errors a person can act on. The API renders them in the contract's shape (§1) by `code`, so this package
// needs no knowledge of HTTP or tRPC; `reason` lets a screen tell the cases apart (e.g. show "reconnect").
import { RequestError } from "@octokit/request-error";

/** The contract's codes this package raises. */
export type GitHubErrorCode = "CONFLICT" | "RESOURCE_NOT_FOUND" | "VALIDATION_ERROR" | "GITHUB_API_ERROR";

export type GitHubErrorReason =
  | "not_configured"
  | "not_connected"
  | "reconnect_required"
  | "invalid_state"
  | "not_found"
  | "not_mergeable"
  | "checks_failed"
  | "checks_pending"
  | "not_open"
  | "api_error"
  | "rate_limited";

export class GitHubError extends Error {
  constructor(
    readonly code: GitHubErrorCode,
    readonly reason: GitHubErrorReason,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "GitHubError";
  }
}

/**
 * GitHub answered with an error (or could not be reached): 502 `GITHUB_API_ERROR` with GitHub's own message.
 * `needsReconnect` is true on a 401: the stored token was revoked or expired.
 */
export class GitHubApiError extends GitHubError {
  constructor(
    /** GitHub's HTTP status; 0 when GitHub could not be reached. */
    readonly status: number,
    /** GitHub's `message`, or the network failure's. */
    readonly githubMessage: string,
    readonly needsReconnect: boolean,
    readonly documentationUrl?: string,
  ) {
    const reason: GitHubErrorReason = needsReconnect
      ? "reconnect_required"
      : status === 403 || status === 429
        ? "rate_limited"
        : "api_error";
    const what = needsReconnect
      ? `GitHub refused the stored token (${githubMessage}): reconnect your GitHub account`
      : status === 0
        ? `GitHub could not be reached: ${githubMessage}`
        : `GitHub answered ${status}: ${githubMessage}`;
    super("GITHUB_API_ERROR", reason, what, { status, githubMessage, needsReconnect });
    this.name = "GitHubApiError";
  }
}

/** A RequestError from Octokit, recognised by shape too, in case two copies of the class are loaded. */
export function isRequestError(error: unknown): error is RequestError {
  return (
    error instanceof RequestError ||
    (error instanceof Error &&
      error.name === "HttpError" &&
      typeof (error as { status?: unknown }).status === "number")
  );
}

/** GitHub's status for an Octokit failure (304 included), or undefined for anything else. */
export const statusOf = (error: unknown): number | undefined =>
  isRequestError(error) ? error.status : undefined;

/** Turns an Octokit failure into a `GitHubApiError`; our own errors pass through unchanged. */
export function toGitHubError(error: unknown): GitHubError {
  if (error instanceof GitHubError) return error;
  if (isRequestError(error)) {
    const data = error.response?.data as { message?: unknown; documentation_url?: unknown } | undefined;
    const message =
      typeof data?.message === "string" && data.message ? data.message : error.message || "no message";
    const docs = typeof data?.documentation_url === "string" ? data.documentation_url : undefined;
    // Octokit reports a network failure as status 500 with no response.
    const status = error.response ? error.status : 0;
    return new GitHubApiError(status, message, error.status === 401, docs);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GitHubApiError(0, message, false);
}
