// Rate limits of the contract (§1), with the X-RateLimit-* headers on every limited response.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { AuthedContext } from "../context";
import { ApiError } from "../errors";

export type RateLimitRule = { points: number; durationSeconds: number };
export type RateLimitSettings = {
  login: RateLimitRule;
  register: RateLimitRule;
  general: RateLimitRule;
  taskStart: RateLimitRule;
};
export type RateLimitName = keyof RateLimitSettings;

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  login: { points: 10, durationSeconds: 15 * 60 },
  register: { points: 5, durationSeconds: 15 * 60 },
  general: { points: 600, durationSeconds: 60 },
  taskStart: { points: 30, durationSeconds: 60 * 60 },
};

export type RateLimiters = Record<RateLimitName, RateLimiterMemory>;

// Memory today; rate-limiter-flexible's Redis limiter has the same API when the server scales out.
export const createRateLimiters = (settings: RateLimitSettings): RateLimiters => ({
  login: new RateLimiterMemory({
    keyPrefix: "login",
    points: settings.login.points,
    duration: settings.login.durationSeconds,
  }),
  register: new RateLimiterMemory({
    keyPrefix: "register",
    points: settings.register.points,
    duration: settings.register.durationSeconds,
  }),
  general: new RateLimiterMemory({
    keyPrefix: "general",
    points: settings.general.points,
    duration: settings.general.durationSeconds,
  }),
  taskStart: new RateLimiterMemory({
    keyPrefix: "task-start",
    points: settings.taskStart.points,
    duration: settings.taskStart.durationSeconds,
  }),
});

function setRateLimitHeaders(headers: Headers, limit: number, res: RateLimiterRes) {
  headers.set("X-RateLimit-Limit", String(limit));
  headers.set("X-RateLimit-Remaining", String(Math.max(0, res.remainingPoints)));
  headers.set("X-RateLimit-Reset", String(Math.ceil((Date.now() + res.msBeforeNext) / 1000)));
}

/** Spends one point of `key`; answers 429 RATE_LIMIT_EXCEEDED with Retry-After once the budget is gone. */
export async function consumeRateLimit(
  limiter: RateLimiterMemory,
  key: string,
  resHeaders: Headers,
): Promise<void> {
  try {
    const res = await limiter.consume(key);
    setRateLimitHeaders(resHeaders, limiter.points, res);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    setRateLimitHeaders(resHeaders, limiter.points, rejection);
    const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    resHeaders.set("Retry-After", String(retryAfter));
    throw new ApiError("RATE_LIMIT_EXCEEDED", `Too many requests; try again in ${retryAfter} s`, {
      retryAfterSeconds: retryAfter,
    });
  }
}

/** The per-person limit on starting runs (§2.7), for the JSON procedure and its multipart twin alike. */
export const limitTaskStarts = (ctx: Pick<AuthedContext, "limiters" | "resHeaders" | "viewer">) =>
  consumeRateLimit(ctx.limiters.taskStart, `user:${ctx.viewer.user.id}`, ctx.resHeaders);
