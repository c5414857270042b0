// The event streams this process holds open, per person: a quota on how many one person may hold
// (across the raw SSE route and the tRPC subscription alike, and across server processes when they share
// a Redis), and a way to have a person's streams check their credential now rather than at their next
// periodic check (after a logout, a ban…).
import { RateLimiterRes } from "rate-limiter-flexible";
import { ApiError } from "../../errors";
import { createLimiter, type RateLimitStore } from "../../lib/rate-limits";

export type EventStreamSettings = {
  /** How many streams one person may hold open at once. */
  maxPerUser: number;
  /** How often an open stream checks that the credential it was opened with still holds. */
  recheckIntervalMs: number;
};

export type OpenEventStreams = {
  readonly settings: EventStreamSettings;
  /**
   * Takes one of the person's slots, or refuses with 429 when all are taken. `recheck` is what the
   * stream runs when asked to check its credential at once; `release` frees the slot (idempotent).
   */
  admit(userId: string, recheck: () => void): Promise<{ release: () => void }>;
  /** Has every open stream of this person check its credential now. */
  recheckUser(userId: string): void;
  /** How many streams this person holds open. */
  count(userId: string): number;
};

/**
 * How long a slot counted in Redis is kept at most: slots a crashed process held come back after this, and
 * a stream open longer stops counting (the quota errs on the lenient side, never refusing for a day).
 */
const SHARED_SLOT_SECONDS = 24 * 3600;

/**
 * `store`: with a Redis, each person's slots are counted there too, so the quota holds across the server
 * processes sharing it (each process still holds no more than the quota itself).
 */
export function createOpenEventStreams(
  settings: EventStreamSettings,
  store: RateLimitStore = null,
): OpenEventStreams {
  const byUser = new Map<string, Set<() => void>>();
  const shared = store
    ? createLimiter(store, "event-streams", settings.maxPerUser, SHARED_SLOT_SECONDS)
    : null;
  const tooMany = () =>
    new ApiError(
      "RATE_LIMIT_EXCEEDED",
      `Too many open event streams: close one of your ${settings.maxPerUser} before opening another`,
      { limit: settings.maxPerUser },
    );
  return {
    settings,
    async admit(userId, recheck) {
      const streams = byUser.get(userId) ?? new Set();
      if (streams.size >= settings.maxPerUser) throw tooMany();
      // A slot of its own even if the same function is admitted twice; taken here before the shared count
      // is asked, so parallel opens in this process cannot all pass.
      const entry = () => recheck();
      streams.add(entry);
      byUser.set(userId, streams);
      const releaseHere = () => {
        streams.delete(entry);
        if (streams.size === 0 && byUser.get(userId) === streams) byUser.delete(userId);
      };
      const key = `user:${userId}`;
      if (shared) {
        try {
          await shared.consume(key);
        } catch (rejection) {
          releaseHere();
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          // A refused consume is counted too: give it back, or the refusal would hold a slot.
          await shared.reward(key).catch(() => {});
          throw tooMany();
        }
      }
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          releaseHere();
          // Given back unless the count expired meanwhile (it would go below zero).
          shared
            ?.get(key)
            .then((res) => (res && res.consumedPoints > 0 ? shared.reward(key) : null))
            .catch(() => {});
        },
      };
    },
    recheckUser(userId) {
      for (const recheck of byUser.get(userId) ?? []) recheck();
    },
    count: (userId) => byUser.get(userId)?.size ?? 0,
  };
}
