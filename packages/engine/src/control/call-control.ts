// Cancel, pause and the emergency stop across processes: an abort of running calls (model calls and
// sandboxed commands alike, both in the call registry) is published on a Redis channel, and every process
// aborts its own matching calls. Pub/sub delivers in milliseconds to whoever is connected; a process that is
// not connected at that moment loses nothing that matters, since the database already says the run is
// cancelled or paused and the step's next write finds it so.
import { randomUUID } from "node:crypto";
import type { CallFilter, CallRegistry } from "../calls/call-registry";
import type { EngineLogger } from "../engine-deps";
import { createRedisConnection } from "../redis/connection";

export const CONTROL_CHANNEL = "crewdeck:control";

type AbortMessage = { origin: string; filter: CallFilter; reason: string };

export type CallControl = {
  /** Resolves once this process listens for others' aborts. */
  ready: Promise<void>;
  close(): Promise<void>;
};

export function connectCallControl(
  calls: CallRegistry,
  options: { url: string; channel?: string; logger: EngineLogger },
): CallControl {
  const channel = options.channel ?? CONTROL_CHANNEL;
  const origin = randomUUID();
  const publisher = createRedisConnection(options.url);
  const subscriber = createRedisConnection(options.url);
  for (const connection of [publisher, subscriber])
    connection.on("error", (error) => options.logger.error("Control channel: Redis connection error", error));
  subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    try {
      const message = JSON.parse(text) as AbortMessage;
      if (message.origin === origin) return;
      calls.abortHere(message.filter, message.reason);
    } catch (error) {
      options.logger.error("Control channel: unreadable message", error);
    }
  });
  calls.broadcastAborts((filter, reason) => {
    const message: AbortMessage = { origin, filter, reason };
    publisher
      .publish(channel, JSON.stringify(message))
      .catch((error) => options.logger.error("Control channel: could not publish an abort", error));
  });
  const ready = subscriber.subscribe(channel).then(() => {});
  ready.catch((error) => options.logger.error("Control channel: could not subscribe", error));
  return {
    ready,
    async close() {
      await Promise.all([publisher.quit().catch(() => {}), subscriber.quit().catch(() => {})]);
    },
  };
}
