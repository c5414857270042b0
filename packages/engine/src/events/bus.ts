// The event bus seam (STYLE.md "Seams for scale-out"): in-process today, Redis Streams later, with the
// same two calls. Nothing outside an implementation reaches past this interface.
import type { AnyBusEvent, EventInput, EventScope, EventType } from "./types";

/** Narrows a subscription; every field that is set must match. Visibility is the caller's job (see `visibility.ts`). */
export type EventFilter = EventScope & { types?: readonly EventType[] | undefined };

export type SubscribeOptions = {
  /** Replay every matching event after this id before the live ones; omit for live events only. */
  afterId?: string | null | undefined;
  /** Ends the iteration and frees the subscription. */
  signal?: AbortSignal | undefined;
};

export interface EventBus {
  /** Stores the event (so it can be replayed) and delivers it to live subscribers; resolves with its id. */
  publish<T extends EventType>(event: EventInput<T>): Promise<AnyBusEvent>;
  /**
   * Matching events after `afterId`, then live ones, in id order, with no gap and no repeat: the
   * implementation starts listening before it reads the backlog.
   */
  subscribe(filter: EventFilter, options?: SubscribeOptions): AsyncIterable<AnyBusEvent>;
  /** Stops delivering and ends every subscription. */
  close(): Promise<void>;
}
