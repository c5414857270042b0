// `subscribe` as every bus implements it: a pull-based view of its `listen`. A reader that falls `queueLimit`
// behind lets go of the bus and, once it has read what it holds, listens again from the last id it read (the
// bus's log has the rest), so a slow reader costs the bus no unbounded queue.
import type { EventBus, EventFilter, SubscribeOptions } from "./bus";
import type { AnyBusEvent } from "./types";

/** A subscription as its bus sees it: what it holds (for stats) and how to end it (when the bus closes). */
export type PullEntry = { queued: () => number; finish: () => void };

export type PullSubscriptionOptions = {
  queueLimit: number;
  /** The bus has closed: the iteration ends at once. */
  closed: () => boolean;
  /** Told of each live subscription, and of its end. */
  track: (entry: PullEntry) => void;
  untrack: (entry: PullEntry) => void;
  /**
   * Where to listen from again after an overflow when nothing was read yet: the bus's id just before
   * `firstArrived` (the first event that reached the queue), or its own notion of "now".
   */
  resumeBefore: (firstArrived: string | null) => string | null;
};

export function pullSubscription(
  listen: EventBus["listen"],
  filter: EventFilter,
  { afterId, signal }: SubscribeOptions,
  options: PullSubscriptionOptions,
): AsyncIterable<AnyBusEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<AnyBusEvent> {
      const queue: AnyBusEvent[] = [];
      let stop = new AbortController();
      let failure: unknown = null;
      let overflowed = false;
      let finished = false;
      /** The last id read, or the one the iteration started after. */
      let cursor: string | null = afterId ?? null;
      let firstArrived: string | null = null;
      let wake: (() => void) | null = null;
      const rouse = () => {
        const w = wake;
        wake = null;
        w?.();
      };
      const finish = () => {
        if (finished) return;
        finished = true;
        stop.abort();
        queue.length = 0;
        signal?.removeEventListener("abort", finish);
        options.untrack(entry);
        rouse();
      };
      const entry: PullEntry = { queued: () => queue.length, finish };
      const start = (after: string | null) => {
        stop = new AbortController();
        listen(
          filter,
          (event) => {
            firstArrived ??= event.id;
            if (overflowed) return;
            if (queue.length >= options.queueLimit) {
              // Keeps what it holds, lets go of the rest: read from the log once these are read.
              overflowed = true;
              stop.abort();
            } else queue.push(event);
            rouse();
          },
          {
            afterId: after,
            signal: stop.signal,
            onError: (error) => {
              failure = error;
              rouse();
            },
            onClosed: finish,
          },
        );
      };
      if (options.closed() || signal?.aborted) finished = true;
      else {
        options.track(entry);
        signal?.addEventListener("abort", finish, { once: true });
        start(cursor);
      }
      return {
        async next(): Promise<IteratorResult<AnyBusEvent>> {
          for (;;) {
            if (finished) return { done: true, value: undefined };
            const event = queue.shift();
            if (event) {
              cursor = event.id;
              return { done: false, value: event };
            }
            if (failure) {
              const error = failure;
              finish();
              throw error;
            }
            if (overflowed) {
              overflowed = false;
              start(cursor ?? options.resumeBefore(firstArrived));
              continue;
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
        },
        async return() {
          finish();
          return { done: true, value: undefined };
        },
        async throw(error?: unknown) {
          finish();
          throw error;
        },
      };
    },
  };
}
