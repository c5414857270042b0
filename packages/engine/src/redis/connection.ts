// The one way Crewdeck connects to Redis (issue 19): the event bus, the shared rate limits and the queue
// all take their connections from here, so they are configured alike.
import { Redis, type RedisOptions } from "ioredis";

export type { Redis, RedisOptions };

/**
 * A connection to `url` (`redis://[:password@]host:port[/db]`, or `rediss://` for TLS). Commands wait
 * while the connection is re-established (ioredis reconnects by itself) rather than fail after a few
 * retries, as BullMQ requires; pass options to change that for one use.
 */
export function createRedisConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, ...options });
}
