// The scale-out settings read at start-up: the queue follows REDIS_URL unless set apart, and a URL of the
// wrong kind stops the start with a message that names the setting, rather than failing on first use.
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../env";

const error = (source: Record<string, string>) => {
  try {
    parseEnv(source);
    return null;
  } catch (e) {
    return e as Error;
  }
};

describe("scale-out settings", () => {
  it("run everything in process by default, and queue on REDIS_URL unless QUEUE_URL names another Redis", () => {
    const defaults = parseEnv({});
    expect([defaults.QUEUE_URL, defaults.WORKER_CONCURRENCY, defaults.STEP_LEASE_MS]).toEqual([
      undefined,
      undefined,
      30_000,
    ]);
    expect(parseEnv({ REDIS_URL: "redis://cache:6379" }).QUEUE_URL).toBe("redis://cache:6379");
    expect(parseEnv({ REDIS_URL: "redis://cache:6379", QUEUE_URL: "rediss://queue:6380/2" }).QUEUE_URL).toBe(
      "rediss://queue:6380/2",
    );
    expect(parseEnv({ WORKER_CONCURRENCY: "0" }).WORKER_CONCURRENCY).toBe(0);
  });

  it("refuses a queue or database URL of the wrong kind, naming the setting", () => {
    const queue = error({ QUEUE_URL: "http://queue:6379" });
    expect(queue).toBeInstanceOf(EnvError);
    expect(queue?.message).toContain("QUEUE_URL: Expected a redis:// or rediss:// URL");
    // A queue's workers announce their steps on the bus: it must be the shared one.
    expect(error({ QUEUE_URL: "redis://queue:6379" })?.message).toContain(
      "QUEUE_URL: a queue needs the event bus its processes share",
    );
    expect(parseEnv({ QUEUE_URL: "redis://q:6379", EVENT_BUS_URL: "redis://e:6379" }).QUEUE_URL).toBe(
      "redis://q:6379",
    );
    const database = error({ DATABASE_URL: "postgres://db/crewdeck" });
    expect(database?.message).toContain(
      "DATABASE_URL: Expected file:…, libsql://…, http(s)://… or ws(s)://…",
    );
    expect(parseEnv({ DATABASE_URL: "libsql://db.example.com", DATABASE_AUTH_TOKEN: "t" })).toMatchObject({
      DATABASE_URL: "libsql://db.example.com",
      DATABASE_AUTH_TOKEN: "t",
    });
    expect(error({ WORKER_CONCURRENCY: "-1" })?.message).toContain("WORKER_CONCURRENCY");
  });
});
