// One way to connect to Redis for everything that uses it (the queue, the control channel, the event bus):
// ioredis, which BullMQ is built on.
import { Redis } from "ioredis";

/**
 * A new connection to `url` (`redis://[:password@]host:port[/db]`, `rediss://` for TLS). Commands wait for
 * a reconnect instead of failing after a few retries (`maxRetriesPerRequest: null`), as BullMQ's workers
 * require; the caller closes it with `quit()`.
 */
export function createRedisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}
