// The one way this package reaches GitHub: Octokit (REST) with the throttling and retry plugins, built for a
// token, the app or one of its installations, against the configured API root (github.com or an Enterprise
// Server, or a test fake).
import { createAppAuth } from "@octokit/auth-app";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import Bottleneck from "bottleneck";
import { createRedactingLogger, type GitHubLogger, silentLogger } from "./logger";

const GitHubOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

export type GitHubAuth =
  | { type: "token"; token: string }
  /** The app itself (a JWT): finds installations. */
  | { type: "app"; appId: string; privateKey: string }
  /** An installation of the app: its short-lived tokens are minted and renewed by `@octokit/auth-app`. */
  | { type: "installation"; appId: string; privateKey: string; installationId: number };

/** Builds a client for the given credentials and API root; services receive one so tests can tune it. */
export type OctokitFactory = (auth: GitHubAuth, apiUrl: string) => GitHubClient;

export type OctokitFactoryOptions = {
  logger?: GitHubLogger;
  /**
   * Milliseconds per second of GitHub's `retry-after` / rate-limit reset wait (1000 in production); tests
   * shrink it so a limited request is retried at once, still through the plugin's own path.
   */
  retryAfterUnitMs?: number;
  /** Retries of a 5xx or network failure (plugin-retry); 3 unless given. */
  retries?: number;
  /** Longest wait for a rate limit (seconds, as GitHub counts them) before giving up with an error. */
  maxRateLimitWaitSeconds?: number;
  /** Times a rate-limited request is retried; 2 unless given. */
  rateLimitRetries?: number;
  /**
   * GitHub asks integrators to space writes (1 s) and writes that notify people (3 s, comments and new pull
   * requests); the plugin's defaults do that. Tests set 0.
   */
  writeSpacingMs?: number;
  userAgent?: string;
};

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "");

export function createOctokitFactory(options: OctokitFactoryOptions = {}): OctokitFactory {
  const unit = options.retryAfterUnitMs ?? 1000;
  const maxWait = options.maxRateLimitWaitSeconds ?? 60;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const sink = options.logger ?? silentLogger;
  // Limiters of this factory's own (the plugin's default groups are shared by the whole process).
  const spacing =
    options.writeSpacingMs === undefined
      ? {}
      : {
          write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs }),
          notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs }),
        };

  return (auth, apiUrl) => {
    const secrets = auth.type === "token" ? [auth.token] : [auth.privateKey];
    const log = quietExpectedAnswers(createRedactingLogger(sink, () => secrets));
    const shouldRetry =
      (kind: string) =>
      (after: number, request: { method?: string; url?: string }, _o: unknown, count: number) => {
        const retrying = count < rateLimitRetries && after <= maxWait;
        log.warn(
          `GitHub ${kind} on ${request.method} ${request.url}: ${retrying ? `retrying in ${after}s` : "giving up"}`,
        );
        return retrying;
      };
    const common = {
      baseUrl: withoutTrailingSlash(apiUrl),
      userAgent: options.userAgent ?? "crewdeck",
      log,
      retry: {
        retryAfterBaseValue: unit,
        retries: options.retries ?? 3,
        // 403 and 429 are rate limits, which the throttling plugin handles with GitHub's own wait.
        doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 429, 451],
      },
      throttle: {
        retryAfterBaseValue: unit,
        fallbackSecondaryRateRetryAfter: 60,
        ...spacing,
        onRateLimit: shouldRetry("rate limit"),
        onSecondaryRateLimit: shouldRetry("secondary rate limit"),
      },
    };
    if (auth.type === "token") return new GitHubOctokit({ ...common, auth: auth.token });
    return new GitHubOctokit({
      ...common,
      authStrategy: createAppAuth,
      auth:
        auth.type === "app"
          ? { appId: auth.appId, privateKey: auth.privateKey }
          : { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId },
    });
  };
}

// Octokit's request log says "GET /path - 304 with id … in 12ms" at error for every answer that is not a 2xx.
// A 304 is the free answer a conditional request hopes for, and a 404 is an answer its caller expects
// (a missing file, an app not installed): neither is an error of ours.
const EXPECTED_ANSWER = /^[A-Z]+ \S+ - (304|404) with id /;

function quietExpectedAnswers(log: GitHubLogger): GitHubLogger {
  return {
    ...log,
    error: (message, meta) => {
      const expected = EXPECTED_ANSWER.exec(String(message));
      if (!expected) log.error(message, meta);
      else if (expected[1] === "404") log.info(message, meta);
      else log.debug(message, meta);
    },
  };
}

/** The URL of the next page in a `Link` header, if any. */
export function nextPageUrl(link: string | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) return match[1]!;
  }
  return null;
}
