// The event bus seam (STYLE.md "Seams for scale-out"): in-process today, Redis Streams later, with the
// same two calls. Nothing outside an implementation reaches past this interface.
import type { AnyBusEvent, EventInput, EventScope, EventType } from "./types";

/** Narrows a subscription; every field that is set must match. Visibility is the caller's job (see `visibility.ts`). */
export type EventFilter = EventScope & { types?: readonly EventType[] | undefined };

/** Told of each event, synchronously, in id order. */
export type EventSink = (event: AnyBusEvent) => void;

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
  /**
   * The push form of `subscribe`, for a transport that writes each event out at once (the SSE route):
   * the same events in the same order, handed to `sink` as they are published, with no queue or promise
   * per event once the backlog is read. `onError`: the backlog could not be read (the listener has ended;
   * resume from the last id seen). `onClosed`: the bus closed.
   */
  listen(
    filter: EventFilter,
    sink: EventSink,
    options?: SubscribeOptions & { onError?: (error: unknown) => void; onClosed?: () => void },
  ): void;
  /** Stops delivering and ends every subscription. */
  close(): Promise<void>;
}
