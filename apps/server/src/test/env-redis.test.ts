// The scale-out settings (issue 19): what REDIS_URL, EVENT_BUS_URL and EVENT_RETENTION accept, and the
// clear refusal of what they do not, before anything starts.
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../env";

describe("Redis settings", () => {
  it("runs in one process by default, keeping events 24 h or a million", () => {
    const config = parseEnv({});
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.EVENT_BUS_URL).toBeUndefined();
    expect(config.EVENT_RETENTION).toEqual({ maxAgeMs: 24 * 3_600_000, maxLen: 1_000_000 });
  });

  it("puts the event bus on REDIS_URL unless EVENT_BUS_URL names another", () => {
    expect(parseEnv({ REDIS_URL: "redis://cache:6379" }).EVENT_BUS_URL).toBe("redis://cache:6379");
    expect(
      parseEnv({ REDIS_URL: "redis://cache:6379", EVENT_BUS_URL: "rediss://events:6380/2" }).EVENT_BUS_URL,
    ).toBe("rediss://events:6380/2");
  });

  it("takes an age and/or a count as the retention", () => {
    expect(parseEnv({ EVENT_RETENTION: "90m" }).EVENT_RETENTION).toEqual({ maxAgeMs: 90 * 60_000 });
    expect(parseEnv({ EVENT_RETENTION: "5000, 7d" }).EVENT_RETENTION).toEqual({
      maxLen: 5000,
      maxAgeMs: 7 * 86_400_000,
    });
  });

  it("refuses what is not a Redis URL or a retention, naming the setting", () => {
    expect(() => parseEnv({ REDIS_URL: "http://cache:6379" })).toThrow(EnvError);
    expect(() => parseEnv({ EVENT_BUS_URL: "cache:6379" })).toThrow(/EVENT_BUS_URL/);
    expect(() => parseEnv({ EVENT_RETENTION: "forever" })).toThrow(/EVENT_RETENTION/);
    expect(() => parseEnv({ EVENT_RETENTION: "0" })).toThrow(/EVENT_RETENTION/);
  });
});
