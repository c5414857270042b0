// Rate limits of the contract (§1), with the X-RateLimit-* headers on every limited response.
import type { Redis } from "@crewdeck/engine";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import type { AuthedContext } from "../context";
import { ApiError } from "../errors";

export type RateLimitRule = { points: number; durationSeconds: number };
/**
 * Consecutive failed sign-ins of one account, from any address, past `freeFailures` make the next attempt
 * wait 1 s, 2 s, 4 s… up to `maxDelaySeconds`; a success clears them. Addresses the account signed in from
 * before are never made to wait, so an attacker cannot lock the owner out.
 */
export type LoginBackoffSettings = { freeFailures: number; maxDelaySeconds: number };
export type RateLimitSettings = {
  /** Sign-in attempts per client address and account. */
  login: RateLimitRule;
  /** Sign-in attempts per client address, whatever the account (password spraying). */
  loginIp: RateLimitRule;
  loginBackoff: LoginBackoffSettings;
  /** Second-factor codes, per client address and per account alike. */
  twoFactor: RateLimitRule;
  register: RateLimitRule;
  general: RateLimitRule;
  taskStart: RateLimitRule;
};

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  login: { points: 10, durationSeconds: 15 * 60 },
  loginIp: { points: 100, durationSeconds: 15 * 60 },
  loginBackoff: { freeFailures: 5, maxDelaySeconds: 5 * 60 },
  twoFactor: { points: 10, durationSeconds: 15 * 60 },
  register: { points: 5, durationSeconds: 15 * 60 },
  general: { points: 600, durationSeconds: 60 },
  taskStart: { points: 30, durationSeconds: 60 * 60 },
};

/** Any rate-limiter-flexible store: memory in one process, Redis when the server scales out. */
export type RateLimiter = RateLimiterAbstract;

export type RateLimiters = {
  login: RateLimiter;
  loginIp: RateLimiter;
  /** Consecutive failures per account (a counter, never refuses by itself). */
  loginFailures: RateLimiter;
  /** One attempt at a time per account in backoff; blocked for the delay the failures earned. */
  loginGate: RateLimiter;
  /** Client addresses each account signed in from (two weeks), exempt from the backoff. */
  loginKnownClients: RateLimiter;
  twoFactorIp: RateLimiter;
  twoFactorAccount: RateLimiter;
  /** TOTP codes that completed a sign-in, per user, kept while the code is still valid. */
  usedTotpCodes: RateLimiter;
  register: RateLimiter;
  general: RateLimiter;
  taskStart: RateLimiter;
};

const DAY = 86_400;
/** Two weeks; the memory store's timers cannot hold more than 24.8 days. */
export const KNOWN_CLIENT_SECONDS = 14 * DAY;
/** A TOTP code is accepted in its 30 s step and the steps either side: 90 s, remembered a little longer. */
export const TOTP_REUSE_WINDOW_SECONDS = 120;

/**
 * Where the limits are counted: in this process (null), or in Redis so that every server process counts
 * against the same budgets. Give Redis a connection that fails at once while it is down
 * (`enableOfflineQueue: false`): requests are then counted in this process until it is back, rather than
 * waiting for it.
 */
export type RateLimitStore = Redis | null;

/** One limiter: `points` per `duration` seconds, counted in `store` (or in this process). */
export function createLimiter(
  store: RateLimitStore,
  keyPrefix: string,
  points: number,
  duration: number,
): RateLimiter {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration });
  if (!store) return memory;
  return new RateLimiterRedis({
    storeClient: store,
    keyPrefix: `crewdeck:limit:${keyPrefix}`,
    points,
    duration,
    insuranceLimiter: memory,
  });
}

export const createRateLimiters = (settings: RateLimitSettings, store: RateLimitStore = null): RateLimiters =>
  createLimiters(settings, (keyPrefix, points, duration) =>
    createLimiter(store, keyPrefix, points, duration),
  );

const createLimiters = (
  settings: RateLimitSettings,
  limiter: (keyPrefix: string, points: number, duration: number) => RateLimiter,
): RateLimiters => ({
  login: limiter("login", settings.login.points, settings.login.durationSeconds),
  loginIp: limiter("login-ip", settings.loginIp.points, settings.loginIp.durationSeconds),
  loginFailures: limiter("login-failures", Number.MAX_SAFE_INTEGER, DAY),
  loginGate: limiter("login-gate", 1, 30),
  loginKnownClients: limiter("login-known", 1, KNOWN_CLIENT_SECONDS),
  twoFactorIp: limiter("2fa-ip", settings.twoFactor.points, settings.twoFactor.durationSeconds),
  twoFactorAccount: limiter("2fa-account", settings.twoFactor.points, settings.twoFactor.durationSeconds),
  usedTotpCodes: limiter("totp-used", 1, TOTP_REUSE_WINDOW_SECONDS),
  register: limiter("register", settings.register.points, settings.register.durationSeconds),
  general: limiter("general", settings.general.points, settings.general.durationSeconds),
  taskStart: limiter("task-start", settings.taskStart.points, settings.taskStart.durationSeconds),
});

function setRateLimitHeaders(headers: Headers, limit: number, remaining: number, msBeforeNext: number) {
  headers.set("X-RateLimit-Limit", String(limit));
  headers.set("X-RateLimit-Remaining", String(Math.max(0, remaining)));
  headers.set("X-RateLimit-Reset", String(Math.ceil((Date.now() + msBeforeNext) / 1000)));
}

/** The 429 of the contract, with Retry-After and the limiter's headers. */
export function rateLimitExceeded(resHeaders: Headers, limit: number, res: RateLimiterRes): ApiError {
  setRateLimitHeaders(resHeaders, limit, 0, res.msBeforeNext);
  const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  resHeaders.set("Retry-After", String(retryAfter));
  return new ApiError("RATE_LIMIT_EXCEEDED", `Too many requests; try again in ${retryAfter} s`, {
    retryAfterSeconds: retryAfter,
  });
}

/** Spends one point of `key`; answers 429 RATE_LIMIT_EXCEEDED with Retry-After once the budget is gone. */
export async function consumeRateLimit(
  limiter: RateLimiter,
  key: string,
  resHeaders: Headers,
): Promise<void> {
  try {
    const res = await limiter.consume(key);
    setRateLimitHeaders(resHeaders, limiter.points, res.remainingPoints, res.msBeforeNext);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw rateLimitExceeded(resHeaders, limiter.points, rejection);
  }
}

/** The per-person limit on starting runs (§2.7), for the JSON procedure and its multipart twin alike. */
export const limitTaskStarts = (ctx: Pick<AuthedContext, "limiters" | "resHeaders" | "viewer">) =>
  consumeRateLimit(ctx.limiters.taskStart, `user:${ctx.viewer.user.id}`, ctx.resHeaders);
