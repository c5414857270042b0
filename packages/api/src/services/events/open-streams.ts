// The event streams this process holds open, per person: a quota on how many one person may hold
// (across the raw SSE route and the tRPC subscription alike), and a way to have a person's streams
// check their credential now rather than at their next periodic check (after a logout, a ban…).
import { ApiError } from "../../errors";

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
  admit(userId: string, recheck: () => void): { release: () => void };
  /** Has every open stream of this person check its credential now. */
  recheckUser(userId: string): void;
  /** How many streams this person holds open. */
  count(userId: string): number;
};

export function createOpenEventStreams(settings: EventStreamSettings): OpenEventStreams {
  const byUser = new Map<string, Set<() => void>>();
  return {
    settings,
    admit(userId, recheck) {
      const streams = byUser.get(userId) ?? new Set();
      if (streams.size >= settings.maxPerUser) {
        throw new ApiError(
          "RATE_LIMIT_EXCEEDED",
          `Too many open event streams: close one of your ${settings.maxPerUser} before opening another`,
          { limit: settings.maxPerUser },
        );
      }
      // A slot of its own even if the same function is admitted twice.
      const entry = () => recheck();
      streams.add(entry);
      byUser.set(userId, streams);
      return {
        release: () => {
          streams.delete(entry);
          if (streams.size === 0 && byUser.get(userId) === streams) byUser.delete(userId);
        },
      };
    },
    recheckUser(userId) {
      for (const recheck of byUser.get(userId) ?? []) recheck();
    },
    count: (userId) => byUser.get(userId)?.size ?? 0,
  };
}
