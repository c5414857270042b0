// Who a password sign-in is for, and the limits every sign-in passes (REST, tRPC and better-auth's own
// /api/auth/sign-in/* routes alike): per address and account, per address across accounts (spraying), and
// a per-account backoff that a brute force from many addresses cannot escape.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { ApiDeps, RequestInfo } from "../../context";
import { consumeRateLimit, KNOWN_CLIENT_SECONDS, rateLimitExceeded } from "../../lib/rate-limits";

export type LoginIdentifier = { kind: "username"; username: string } | { kind: "email"; email: string };

/**
 * The identifier a sign-in goes by: the username when both are given, as the sign-in itself does, lower
 * case as better-auth compares both. Null when there is neither.
 */
export function loginIdentifier(input: {
  email?: string | undefined | null;
  username?: string | undefined | null;
}): LoginIdentifier | null {
  if (input.username) return { kind: "username", username: input.username.toLowerCase() };
  if (input.email) return { kind: "email", email: input.email.toLowerCase() };
  return null;
}

export const clientKey = (ip: string | null) => ip ?? "unknown-ip";

/** The account's id when the identifier names one, so its email and its username share one budget. */
async function accountKey(deps: Pick<ApiDeps, "db">, identifier: LoginIdentifier | null): Promise<string> {
  if (!identifier) return "none";
  const column = identifier.kind === "email" ? schema.users.email : schema.users.username;
  const value = identifier.kind === "email" ? identifier.email : identifier.username;
  const user = await deps.db.query.users.findFirst({ where: eq(column, value), columns: { id: true } });
  return user ? `user:${user.id}` : `${identifier.kind}:${value}`;
}

/** 1 s after the first failure past the free ones, doubling, capped. */
export function backoffSeconds(
  failures: number,
  settings: ApiDeps["settings"]["rateLimits"]["loginBackoff"],
) {
  const past = failures - settings.freeFailures;
  if (past <= 0) return 0;
  return Math.min(settings.maxDelaySeconds, 2 ** Math.min(past - 1, 30));
}

export type LoginAttempt = {
  /** The account the identifier names, when it names one. */
  userId: string | null;
  /** The password was right (with or without a second factor to come): the backoff starts over. */
  succeeded: () => Promise<void>;
};

type LimitDeps = Pick<ApiDeps, "db" | "limiters" | "settings"> & Pick<RequestInfo, "clientIp" | "resHeaders">;

/**
 * Spends the attempt's points, or answers 429 RATE_LIMIT_EXCEEDED with Retry-After. The attempt counts as
 * a failure until `succeeded()`, so parallel guesses cannot all slip in before the first one fails.
 */
export async function beginLoginAttempt(
  deps: LimitDeps,
  identifier: LoginIdentifier | null,
): Promise<LoginAttempt> {
  const { limiters, resHeaders } = deps;
  const ip = clientKey(deps.clientIp);
  // Before the account lookup, so a flood from one address costs no queries.
  await consumeRateLimit(limiters.loginIp, ip, resHeaders);
  const account = await accountKey(deps, identifier);
  // Last, so the X-RateLimit-* headers describe the documented per address and account limit.
  await consumeRateLimit(limiters.login, `${ip}|${account}`, resHeaders);

  const knownClient = `${account}|${ip}`;
  const failures = (await limiters.loginFailures.penalty(account)).consumedPoints;
  const delay = backoffSeconds(failures, deps.settings.rateLimits.loginBackoff);
  if (delay > 0 && !(await limiters.loginKnownClients.get(knownClient))) {
    try {
      // One attempt at a time gets through the gate, which then stays shut for the earned delay.
      await limiters.loginGate.consume(account);
      await limiters.loginGate.block(account, delay);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // A refused attempt is no guess: it earns no further delay.
      await limiters.loginFailures.reward(account);
      throw rateLimitExceeded(resHeaders, deps.settings.rateLimits.login.points, rejection);
    }
  }
  return {
    userId: account.startsWith("user:") ? account.slice("user:".length) : null,
    succeeded: async () => {
      await limiters.loginFailures.delete(account);
      await limiters.loginGate.delete(account);
      if (account.startsWith("user:"))
        await limiters.loginKnownClients.set(knownClient, 1, KNOWN_CLIENT_SECONDS);
    },
  };
}
