// The in-process event bus: events are stored in the `events` table (ids survive a restart, so clients
// resume across one) and handed to live subscribers in this process.
import { type Database, iso, schema } from "@crewdeck/db";
import { and, asc, eq, gt, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { EventBus, EventFilter, SubscribeOptions } from "./bus";
import type { AnyBusEvent, EventInput, EventType } from "./types";

export type DatabaseEventBusOptions = {
  /** How long stored events stay replayable. */
  retentionMs?: number;
  /** Streaming chunks and typing indicators are worthless once the message is whole: they go sooner. */
  shortLivedRetentionMs?: number;
  /** How often old events are trimmed. */
  trimIntervalMs?: number;
  /** Live events buffered per subscriber; a subscriber that falls further behind re-reads the table. */
  queueLimit?: number;
  /** Rows read per query while a subscriber replays or catches up. */
  pageSize?: number;
  now?: () => Date;
  /** Told when a periodic trim fails (the bus keeps running). */
  onError?: (message: string, error: unknown) => void;
};

/** The bus, with what tests and operators may want to look at. */
export type DatabaseEventBus = EventBus & {
  /** Subscriptions open now, and the live events buffered for them. */
  stats(): { subscribers: number; bufferedEvents: number };
  /** Deletes events past their retention; resolves with how many went. */
  trim(): Promise<number>;
};

const HOUR = 3_600_000;
const SHORT_LIVED: EventType[] = ["message_delta", "agent_typing"];
const MAX_BATCH = 200;
const TRIM_CHUNK = 5_000;

type EventRow = typeof schema.events.$inferSelect;
type Pending = { input: EventInput; resolve: (event: AnyBusEvent) => void; reject: (error: unknown) => void };

type Subscriber = {
  filter: EventFilter;
  /** Live events not yet yielded, in id order; emptied when it would pass the limit. */
  queue: AnyBusEvent[];
  /** Set when live events were dropped for lack of room: the subscriber must re-read the table. */
  overflowed: boolean;
  /** Resolves the subscriber's wait for the next event. */
  wake: () => void;
  stop: AbortController;
};

const toBusEvent = (row: EventRow): AnyBusEvent =>
  ({
    id: String(row.id),
    type: row.type,
    scope: {
      userId: row.userId,
      projectId: row.projectId,
      conversationId: row.conversationId,
      taskId: row.taskId,
    },
    payload: row.payload,
    createdAt: iso(row.createdAt),
  }) as AnyBusEvent;

const isSet = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

export function matchesFilter(filter: EventFilter, event: AnyBusEvent): boolean {
  const { scope } = event;
  return (
    (!isSet(filter.userId) || filter.userId === scope.userId) &&
    (!isSet(filter.projectId) || filter.projectId === scope.projectId) &&
    (!isSet(filter.conversationId) || filter.conversationId === scope.conversationId) &&
    (!isSet(filter.taskId) || filter.taskId === scope.taskId) &&
    (!filter.types || filter.types.includes(event.type))
  );
}

function filterCondition(filter: EventFilter, afterId: number): SQL | undefined {
  const e = schema.events;
  const conditions: (SQL | undefined)[] = [gt(e.id, afterId)];
  if (isSet(filter.userId)) conditions.push(eq(e.userId, filter.userId));
  if (isSet(filter.projectId)) conditions.push(eq(e.projectId, filter.projectId));
  if (isSet(filter.conversationId)) conditions.push(eq(e.conversationId, filter.conversationId));
  if (isSet(filter.taskId)) conditions.push(eq(e.taskId, filter.taskId));
  if (filter.types) conditions.push(inArray(e.type, [...filter.types]));
  return and(...conditions);
}

/** Event ids are the log's integer row ids, as strings; anything else cannot be resumed from. */
export function parseEventId(id: string | null | undefined): number | null {
  if (id === null || id === undefined) return null;
  if (!/^\d{1,15}$/.test(id)) throw new TypeError(`Not an event id: ${JSON.stringify(id)}`);
  return Number(id);
}

export function createDatabaseEventBus(
  db: Database,
  options: DatabaseEventBusOptions = {},
): DatabaseEventBus {
  const retentionMs = options.retentionMs ?? 24 * HOUR;
  const shortLivedRetentionMs = Math.min(options.shortLivedRetentionMs ?? HOUR, retentionMs);
  const queueLimit = options.queueLimit ?? 1_000;
  const pageSize = options.pageSize ?? 500;
  const now = options.now ?? (() => new Date());

  const subscribers = new Set<Subscriber>();
  const pending: Pending[] = [];
  let flushing: Promise<void> | null = null;
  let closed = false;

  // The newest id handed out: a live-only subscription starts after it. Known once the log has been read.
  let highWater = 0;
  let highWaterKnown = false;
  const ready = db
    .select({ max: sql<number | null>`max(${schema.events.id})` })
    .from(schema.events)
    .then(([row]) => {
      highWater = Math.max(highWater, row?.max ?? 0);
    })
    .catch(() => {})
    .finally(() => {
      highWaterKnown = true;
    });

  function deliver(event: AnyBusEvent) {
    for (const sub of subscribers) {
      if (sub.overflowed || !matchesFilter(sub.filter, event)) continue;
      if (sub.queue.length >= queueLimit) {
        // Dropping is safe: everything is in the table, and the subscriber re-reads it from its cursor.
        sub.queue = [];
        sub.overflowed = true;
      } else {
        sub.queue.push(event);
      }
      sub.wake();
    }
  }

  async function insertAndDeliver(batch: Pending[]): Promise<void> {
    let rows: EventRow[];
    try {
      rows = await db
        .insert(schema.events)
        .values(
          batch.map(({ input }) => ({
            type: input.type,
            userId: input.scope.userId ?? null,
            projectId: input.scope.projectId ?? null,
            conversationId: input.scope.conversationId ?? null,
            taskId: input.scope.taskId ?? null,
            payload: input.payload,
          })),
        )
        .returning();
    } catch (error) {
      const [only] = batch;
      if (batch.length === 1 && only) {
        only.reject(error);
        return;
      }
      // One bad event (say, about a conversation deleted a moment ago) must not sink the others.
      for (const one of batch) await insertAndDeliver([one]);
      return;
    }
    // SQLite numbers the rows of one INSERT in the order of its VALUES, so sorted ids pair with the batch.
    rows.sort((a, b) => a.id - b.id);
    rows.forEach((row, i) => {
      const event = toBusEvent(row);
      highWater = Math.max(highWater, row.id);
      deliver(event);
      batch[i]?.resolve(event);
    });
  }

  /**
   * Publishes go through this one loop, so rows are inserted and delivered in id order: a subscriber
   * that saw id n has seen every matching id below it. Publishes that arrive while a batch is being
   * written share the next INSERT.
   */
  async function flush(): Promise<void> {
    try {
      await ready;
      while (pending.length > 0) {
        await insertAndDeliver(pending.splice(0, MAX_BATCH));
        // The embedded driver answers without leaving the microtask queue: without a turn of the event
        // loop here, a burst would outrun every subscriber's queue and send them all back to the table.
        if (pending.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      // Reached with nothing pending (no await since the check), so the next publish starts a new loop.
      flushing = null;
    }
  }

  function publish(input: EventInput): Promise<AnyBusEvent> {
    if (closed) return Promise.reject(new Error("The event bus is closed"));
    return new Promise((resolve, reject) => {
      pending.push({ input, resolve, reject });
      flushing ??= flush();
    });
  }

  async function readPage(filter: EventFilter, afterId: number): Promise<AnyBusEvent[]> {
    const rows = await db
      .select()
      .from(schema.events)
      .where(filterCondition(filter, afterId))
      .orderBy(asc(schema.events.id))
      .limit(pageSize);
    return rows.map(toBusEvent);
  }

  function waitForEvent(sub: Subscriber): Promise<void> {
    return new Promise((resolve) => {
      sub.wake = () => {
        sub.wake = () => {};
        resolve();
      };
      if (sub.stop.signal.aborted) sub.wake();
    });
  }

  /**
   * Two modes. Reading the table: from the cursor, page by page; the live queue is emptied before each
   * read, because everything committed before the read is in it. Live: the queue, skipping what the
   * table already gave. The subscriber is registered before the first read, so every event committed
   * after a read began is in its queue, or it overflowed and the table is read again.
   */
  async function* stream(
    sub: Subscriber,
    start: number | Promise<number>,
    replay: boolean,
  ): AsyncGenerator<AnyBusEvent, void> {
    const { signal } = sub.stop;
    let cursor = await start;
    let readingTable = replay;
    while (!signal.aborted) {
      if (readingTable) {
        sub.queue = [];
        sub.overflowed = false;
        const page = await readPage(sub.filter, cursor);
        for (const event of page) {
          if (signal.aborted) return;
          cursor = Number(event.id);
          yield event;
        }
        if (page.length < pageSize) readingTable = false;
        continue;
      }
      const next = sub.queue.shift();
      if (next) {
        const id = Number(next.id);
        if (id <= cursor) continue;
        cursor = id;
        yield next;
        continue;
      }
      if (sub.overflowed) {
        readingTable = true;
        continue;
      }
      await waitForEvent(sub);
    }
  }

  function subscribe(filter: EventFilter, { afterId, signal }: SubscribeOptions = {}) {
    const startAfter = parseEventId(afterId);
    return {
      [Symbol.asyncIterator](): AsyncIterator<AnyBusEvent> {
        const sub: Subscriber = {
          filter,
          queue: [],
          overflowed: false,
          wake: () => {},
          stop: new AbortController(),
        };
        const onAbort = () => sub.stop.abort();
        const release = () => {
          subscribers.delete(sub);
          sub.queue = [];
          signal?.removeEventListener("abort", onAbort);
        };
        sub.stop.signal.addEventListener("abort", () => sub.wake(), { once: true });
        if (closed || signal?.aborted) sub.stop.abort();
        else {
          // Registered now, not at the first next(): nothing published from here on is missed.
          subscribers.add(sub);
          signal?.addEventListener("abort", onAbort, { once: true });
        }
        // Live only: after the newest id as of now (or, before the log was first read, as of that read).
        const start = startAfter ?? (highWaterKnown ? highWater : ready.then(() => highWater));
        const events = (async function* () {
          try {
            yield* stream(sub, start, startAfter !== null);
          } finally {
            release();
          }
        })();
        return {
          next: () => events.next(),
          return: async () => {
            // Ends a wait for the next event at once, and frees a subscription that never started.
            sub.stop.abort();
            release();
            return events.return();
          },
          throw: async (error?: unknown) => {
            sub.stop.abort();
            release();
            return events.throw(error);
          },
        };
      },
    };
  }

  async function trim(): Promise<number> {
    const e = schema.events;
    const at = now().getTime();
    const expired = or(
      lt(e.createdAt, new Date(at - retentionMs)),
      and(inArray(e.type, SHORT_LIVED), lt(e.createdAt, new Date(at - shortLivedRetentionMs))),
    );
    let removed = 0;
    // In chunks, so a large trim never holds the write lock long enough to stall publishers.
    for (;;) {
      const chunk = db.select({ id: e.id }).from(e).where(expired).limit(TRIM_CHUNK);
      const result = await db.delete(e).where(inArray(e.id, chunk));
      removed += result.rowsAffected;
      if (result.rowsAffected < TRIM_CHUNK) return removed;
    }
  }

  const timer = setInterval(
    () => {
      trim().catch((error) => options.onError?.("Trimming old events failed", error));
    },
    options.trimIntervalMs ?? 10 * 60_000,
  );
  timer.unref();

  return {
    publish: publish as EventBus["publish"],
    subscribe,
    async close() {
      closed = true;
      clearInterval(timer);
      for (const sub of subscribers) sub.stop.abort();
      subscribers.clear();
      await flushing;
    },
    stats: () => {
      let bufferedEvents = 0;
      for (const sub of subscribers) bufferedEvents += sub.queue.length;
      return { subscribers: subscribers.size, bufferedEvents };
    },
    trim,
  };
}
