// The event bus seam (STYLE.md "Seams for scale-out"): in-process today, Redis Streams later, with the
// same two calls. Nothing outside an implementation reaches past this interface.
import { EngineError } from "../errors";
import type { AnyBusEvent, EventInput, EventScope, EventType } from "./types";

/**
 * A resume id this bus cannot resume from: not one of its ids (`malformed`), or older than what it still
 * keeps (`expired`: events after it were trimmed, so replay would leave a gap). A VALIDATION_ERROR on
 * `lastEventId` to clients; the remedy is to reload and open the stream without an id.
 */
export class EventIdError extends EngineError {
  constructor(readonly reason: "malformed" | "expired") {
    const message =
      reason === "expired"
        ? "Events after this id are no longer kept: reload, then open the stream without a last event id"
        : "Not an event id from this stream";
    super("VALIDATION_ERROR", message, [{ field: "lastEventId", message }]);
    this.name = "EventIdError";
  }
}

/** Narrows a subscription; every field that is set must match. Visibility is the caller's job (see `visibility.ts`). */
export type EventFilter = EventScope & { types?: readonly EventType[] | undefined };

/**
 * Told of each event, synchronously, in id order. Ids are opaque strings the bus hands out: only the bus
 * compares or orders them; everyone else passes them back as they came.
 */
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
  /**
   * Publishes an event relayed from the outbox (`outbox.ts`) under the row's id. A bus shared by several
   * processes appends each outbox id once, so a row sent again after a crash is not delivered twice.
   */
  publishFromOutbox(outboxId: number, event: EventInput, createdAt: Date): Promise<void>;
  /**
   * Resolves when the bus can resume after `afterId` with nothing missing; rejects with `EventIdError`
   * otherwise. `subscribe` and `listen` fail the same way later, so a transport asks first to refuse
   * the request with an ordinary error response.
   */
  checkResumeId(afterId: string): Promise<void>;
  /** Whether the bus can reach the log it publishes to, for the health check. */
  health(): Promise<"up" | "down">;
  /**
   * False while the bus is known to be cut off from its log (Redis unreachable, its client reconnecting),
   * so publishing now would wait for it to come back. Answered at once, from the connection's state; a
   * bus in this process is always connected and need not say.
   */
  connected?(): boolean;
  /** Stops delivering and ends every subscription. */
  close(): Promise<void>;
}
