// The in-process event bus: events are stored in the `events` table (ids survive a restart, so clients
// resume across one) and handed to live subscribers in this process.
import type { Database } from "@crewdeck/db";
import type { EventBus } from "./bus";

export type DatabaseEventBusOptions = {
  /** How long stored events stay replayable. */
  retentionMs?: number;
};

export function createDatabaseEventBus(_db: Database, _options: DatabaseEventBusOptions = {}): EventBus {
  const todo = (): never => {
    throw new Error("TODO(events helper): implement");
  };
  return { publish: todo, subscribe: todo, close: async () => {} };
}
