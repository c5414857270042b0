// What every bus keeps of its readers: the listeners it pushes events to and the pull subscriptions built
// on them, how a listener is attached and ended, how all of them end when the bus closes, and their stats.
import type { EventFilter, EventSink } from "./bus";
import type { PullEntry } from "./pull-subscription";
import type { AnyBusEvent } from "./types";

/** A listener as every bus holds it; each bus adds where it has read up to. */
export type BaseListener = {
  filter: EventFilter;
  sink: EventSink;
  /** Reading the backlog: live events wait in `queue`. */
  live: boolean;
  queue: AnyBusEvent[];
  stopped: boolean;
  end: () => void;
  onClosed: (() => void) | undefined;
};

export function createReaders<L extends BaseListener>() {
  const listeners = new Set<L>();
  const iterators = new Set<PullEntry>();
  return {
    listeners,
    /** For `pullSubscription`'s `track` and `untrack`. */
    track: (entry: PullEntry) => void iterators.add(entry),
    untrack: (entry: PullEntry) => void iterators.delete(entry),
    /**
     * Attaches a listener until it ends itself, its signal aborts or the bus closes; null when the bus is
     * closed or the signal already aborted (nothing is delivered).
     */
    attach(fields: Omit<L, "queue" | "stopped" | "end">, signal: AbortSignal | undefined, closed: boolean) {
      if (closed || signal?.aborted) return null;
      const listener = {
        ...fields,
        queue: [],
        stopped: false,
        end: () => {
          listener.stopped = true;
          listener.queue = [];
          listeners.delete(listener);
          signal?.removeEventListener("abort", listener.end);
        },
      } as unknown as L;
      listeners.add(listener);
      signal?.addEventListener("abort", listener.end, { once: true });
      return listener;
    },
    /** Ends every listener (telling each) and every pull subscription. */
    endAll() {
      for (const listener of [...listeners]) {
        listener.end();
        listener.onClosed?.();
      }
      for (const iterator of [...iterators]) iterator.finish();
    },
    stats() {
      let bufferedEvents = 0;
      for (const listener of listeners) bufferedEvents += listener.queue.length;
      for (const iterator of iterators) bufferedEvents += iterator.queued();
      return { subscribers: listeners.size, bufferedEvents };
    },
  };
}
