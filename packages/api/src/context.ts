// The request context every procedure receives. Apps build it per request from a fetch Request;
// tests build the same thing with `createInnerContext`.

import type { Auth } from "@crewdeck/auth";
import type { Database, SiteSettings } from "@crewdeck/db";
import type { Engine, ProviderEnvironment, Redis } from "@crewdeck/engine";
import type { GitHubDeps } from "@crewdeck/github";
import type { Mailer } from "./lib/mailer";
import type { RateLimiters, RateLimitSettings } from "./lib/rate-limits";
import type { Viewer } from "./lib/viewer";
import type { OpenEventStreams } from "./services/events/open-streams";

export type ApiSettings = {
  /**
   * Where people reach the server and its web app (APP_URL): GitHub's OAuth callback and redirects, and
   * links written outside the app (GitHub comments), are built from it.
   */
  appUrl: string;
  /** Origins whose cookie-authenticated writes are accepted (CSRF). */
  trustedOrigins: string[];
  accessTokenTtlSeconds: number;
  maxSessionsPerUser: number;
  rateLimits: RateLimitSettings;
  version: string;
  environment: string;
  /** Where uploaded files are stored (by generated names), and the largest upload accepted. */
  filesDir: string;
  maxUploadBytes: number;
  /** The most bytes of uploads one user may keep stored at once. */
  maxUploadBytesPerUser: number;
  /** The server's secret, from which the key that encrypts stored model provider keys is derived. */
  providerSecret: string;
  /** Model provider credentials from the environment, shown (never the keys) next to an admin's settings. */
  providerEnvironment: ProviderEnvironment;
  /** The environment's site settings, in force until an administrator stores their own. */
  siteDefaults: SiteSettings;
};

/** Long-lived collaborators, built once by the app; `engine` is the agent engine's (event bus, providers…). */
export type ApiDeps = {
  db: Database;
  auth: Auth;
  settings: ApiSettings;
  limiters: RateLimiters;
  engine: Engine;
  /** GitHub's collaborators (configuration, Octokit factory, the server's secret for sealed tokens). */
  github: GitHubDeps;
  /** The live event streams this process holds open: their per-person quota and credential checks. */
  eventStreams: OpenEventStreams;
  /** Outgoing mail (invitations); null when no mailer is configured, and then links are shown instead. */
  mailer: Mailer | null;
  /** The Redis the processes share (REDIS_URL), where the rate limits are counted; none in one process. */
  redis?: Redis | null;
};

export type RequestInfo = {
  requestId: string;
  method: string;
  headers: Headers;
  /** Headers the procedure adds to the response (rate limits, downloads). */
  resHeaders: Headers;
  clientIp: string | null;
};

export type Context = ApiDeps &
  RequestInfo & {
    /** Filled by the authed base procedure. */
    viewer: Viewer | null;
  };

/** The context of a procedure past `authedProcedure` (and of a raw route past the same guards). */
export type AuthedContext = Context & { viewer: Viewer };

export const createContext = (deps: ApiDeps, request: RequestInfo): Context => ({
  ...deps,
  ...request,
  viewer: null,
});

/** A context with no HTTP request behind it, for `createCaller` in tests and internal jobs. */
export const createInnerContext = (deps: ApiDeps, request: Partial<RequestInfo> = {}): Context =>
  createContext(deps, {
    requestId: request.requestId ?? "internal",
    method: request.method ?? "POST",
    headers: request.headers ?? new Headers(),
    resHeaders: request.resHeaders ?? new Headers(),
    clientIp: request.clientIp ?? null,
  });
