// The in-process event bus: events are stored in the `events` table (ids survive a restart, so clients
// resume across one) and handed to live subscribers in this process.
import { type Database, iso, schema } from "@crewdeck/db";
import { and, asc, eq, gt, inArray, lt, or, type SQL } from "drizzle-orm";
import { type EventBus, type EventFilter, EventIdError, type EventSink, type SubscribeOptions } from "./bus";
import { pullSubscription } from "./pull-subscription";
import { type BaseListener, createReaders } from "./readers";
import type { AnyBusEvent, EventInput, EventPayloads, EventType } from "./types";

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
  /**
   * A message's streamed chunks (`message_delta`) reach live subscribers at once, but are stored together:
   * one row per message for up to this long, or `deltaRowPieces` chunks, whichever comes first.
   */
  deltaWindowMs?: number;
  deltaRowPieces?: number;
  now?: () => Date;
  /** Told when a periodic trim fails (the bus keeps running). */
  onError?: (message: string, error: unknown) => void;
};

export type ListenOptions = SubscribeOptions & {
  /** Told when the backlog cannot be read; the listener has ended (resume from the last id seen). */
  onError?: (error: unknown) => void;
  /** Told when the bus closes. */
  onClosed?: () => void;
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
/**
 * Ids are handed out in this process (so a chunk goes out before its row is written) from blocks reserved
 * in `sqlite_sequence`: an id seen live is never handed out again, even after a crash lost its row.
 */
const ID_BLOCK = 10_000;

type EventRow = typeof schema.events.$inferSelect;
type DeltaPayload = EventPayloads["message_delta"];
/** A coalesced delta row: the lengths of its chunks, whose ids run up to the row's id. */
type StoredDeltaPayload = DeltaPayload & { pieces?: number[] };

type Waiter = { event: AnyBusEvent; resolve: (event: AnyBusEvent) => void; reject: (error: unknown) => void };

/** One row to write: an event, or a message's consecutive chunks merged. */
type PendingRow = {
  input: EventInput;
  /** The id of the row: its last chunk's. */
  id: number;
  createdAt: Date;
  waiters: Waiter[];
  pieces: number[] | null;
  /** Still taking chunks: not written until closed. */
  open: boolean;
  timer?: NodeJS.Timeout;
};

/** An event waiting for its turn to be delivered (ids go out in order; a stored kind waits for its row). */
type Outgoing = { event: AnyBusEvent; ready: boolean; dropped: boolean };

type Listener = BaseListener & {
  /** The newest id handed to the sink. */
  cursor: number;
  /** Set when live events were dropped for lack of room: the backlog is read again. */
  overflowed: boolean;
};

function toBusEvent(row: EventRow, afterId = 0): AnyBusEvent {
  let payload = row.payload;
  if (row.type === "message_delta") {
    const { pieces, ...delta } = row.payload as StoredDeltaPayload;
    payload = delta;
    // A client that saw some of a coalesced row's chunks live gets the rest of its text, once.
    const firstId = row.id - (pieces?.length ?? 1) + 1;
    if (pieces && afterId >= firstId) {
      const seen = pieces.slice(0, afterId - firstId + 1).reduce((a, b) => a + b, 0);
      payload = { ...delta, delta: delta.delta.slice(seen) };
    }
  }
  return {
    id: String(row.id),
    type: row.type,
    scope: {
      userId: row.userId,
      projectId: row.projectId,
      conversationId: row.conversationId,
      taskId: row.taskId,
    },
    payload,
    createdAt: iso(row.createdAt),
  } as AnyBusEvent;
}

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

/**
 * This bus's ids are the log's integer row ids, as strings (numbers inside this file only); anything else
 * cannot be resumed from.
 */
function parseEventId(id: string | null | undefined): number | null {
  if (id === null || id === undefined) return null;
  if (!/^\d{1,15}$/.test(id)) throw new EventIdError("malformed");
  return Number(id);
}

const normaliseScope = (scope: EventInput["scope"]): Required<EventInput["scope"]> => ({
  userId: scope.userId ?? null,
  projectId: scope.projectId ?? null,
  conversationId: scope.conversationId ?? null,
  taskId: scope.taskId ?? null,
});

/**
 * The bus. Every event gets its id when published. A `message_delta` is delivered at once and its row
 * written later, merged with the message's next chunks; any other event is delivered once its row is
 * written (an event the log refuses reaches nobody). Delivery follows ids, so a chunk published after an
 * event waits for that event's row.
 *
 * Replay reads the table up to what is written, then the chunks already delivered but not yet written,
 * then live events: the listener is registered before the read, so nothing falls between.
 *
 * It must be the only writer of its `events` table that delivers live (one server process); several
 * processes need a shared log such as Redis Streams, which is this interface's other adapter.
 */
export function createDatabaseEventBus(
  db: Database,
  options: DatabaseEventBusOptions = {},
): DatabaseEventBus {
  const retentionMs = options.retentionMs ?? 24 * HOUR;
  const shortLivedRetentionMs = Math.min(options.shortLivedRetentionMs ?? HOUR, retentionMs);
  const queueLimit = options.queueLimit ?? 1_000;
  const pageSize = options.pageSize ?? 500;
  const deltaWindowMs = options.deltaWindowMs ?? 200;
  const deltaRowPieces = options.deltaRowPieces ?? 500;
  const now = options.now ?? (() => new Date());

  const readers = createReaders<Listener>();
  const { listeners } = readers;
  /** Publishes waiting for ids (before the first block is reserved, or between blocks). */
  const waitingForIds: { input: EventInput; resolve: Waiter["resolve"]; reject: Waiter["reject"] }[] = [];
  const rows: PendingRow[] = [];
  const outgoing: Outgoing[] = [];
  /** Delivered chunks whose rows are not written yet, in id order: replay takes them from here. */
  const deliveredUnstored: AnyBusEvent[] = [];
  let flushing: Promise<void> | null = null;
  let closed = false;

  let nextId = 1;
  let blockEnd = 0;
  let spareBlock: Promise<{ start: number; end: number }> | null = null;
  let lastId = 0;

  async function reserveBlock(): Promise<{ start: number; end: number }> {
    const [, reserved] = await db.$client.batch(
      [
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'events', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'events')",
        {
          sql: "UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT max(id) FROM events), 0)) + ? WHERE name = 'events' RETURNING seq",
          args: [ID_BLOCK],
        },
      ],
      "write",
    );
    const end = Number(reserved?.rows[0]?.seq);
    return { start: end - ID_BLOCK + 1, end };
  }

  /** Reserves the next block early, so publishing rarely waits for one. */
  function prefetchBlock() {
    if (spareBlock) return;
    const block = reserveBlock();
    block.catch(() => {});
    spareBlock = block;
    void block.then(takeBlockIfOut, (error: unknown) => {
      spareBlock = null;
      for (const waiting of waitingForIds.splice(0)) waiting.reject(error);
    });
  }

  function takeBlockIfOut() {
    if (nextId <= blockEnd || !spareBlock) return;
    const block = spareBlock;
    spareBlock = null;
    void block.then(({ start, end }) => {
      if (nextId <= blockEnd) return;
      nextId = start;
      blockEnd = end;
      // Ids first reach the last ones handed out in this process before the block was reserved.
      lastId = Math.max(lastId, start - 1);
      for (const waiting of waitingForIds.splice(0)) {
        if (nextId > blockEnd) {
          waitingForIds.unshift(waiting);
          prefetchBlock();
          return;
        }
        publishNow(waiting.input, waiting.resolve, waiting.reject);
      }
    });
  }
  prefetchBlock();
  const ready = spareBlock as unknown as Promise<unknown>;

  function deliver(event: AnyBusEvent) {
    const id = Number(event.id);
    for (const listener of listeners) {
      if (!matchesFilter(listener.filter, event)) continue;
      if (listener.live) {
        if (id <= listener.cursor) continue;
        listener.cursor = id;
        listener.sink(event);
      } else if (!listener.overflowed) {
        if (listener.queue.length >= queueLimit) {
          // Dropping is safe: the listener reads the table again from its cursor.
          listener.queue = [];
          listener.overflowed = true;
        } else listener.queue.push(event);
      }
    }
  }

  /** Hands out, in id order, every event whose turn has come. */
  function deliverReady() {
    while (outgoing.length > 0 && outgoing[0]?.ready) {
      const next = outgoing.shift() as Outgoing;
      if (next.dropped) continue;
      if (next.event.type === "message_delta") deliveredUnstored.push(next.event);
      deliver(next.event);
    }
  }

  function closeRow(row: PendingRow) {
    row.open = false;
    clearTimeout(row.timer);
    flushing ??= flush();
  }

  function publishNow(input: EventInput, resolve: Waiter["resolve"], reject: Waiter["reject"]) {
    const id = nextId++;
    lastId = id;
    if (blockEnd - nextId < ID_BLOCK / 2) prefetchBlock();
    const createdAt = now();
    const event = {
      id: String(id),
      type: input.type,
      scope: normaliseScope(input.scope),
      payload: input.payload,
      createdAt: iso(createdAt),
    } as AnyBusEvent;
    const waiter = { event, resolve, reject };
    const tail = rows.at(-1);
    if (input.type === "message_delta") {
      const payload = input.payload as DeltaPayload;
      const tailPayload = tail?.input.payload as DeltaPayload | undefined;
      if (
        tail?.open &&
        tail.id === id - 1 &&
        tailPayload?.messageId === payload.messageId &&
        (tail.pieces?.length ?? 0) < deltaRowPieces
      ) {
        tail.input = { ...tail.input, payload: { ...tailPayload, delta: tailPayload.delta + payload.delta } };
        tail.pieces?.push(payload.delta.length);
        tail.id = id;
        tail.waiters.push(waiter);
      } else {
        if (tail?.open) closeRow(tail);
        const row: PendingRow = {
          input,
          id,
          createdAt,
          waiters: [waiter],
          pieces: [payload.delta.length],
          open: true,
        };
        row.timer = setTimeout(() => closeRow(row), deltaWindowMs);
        rows.push(row);
      }
      // Out at once (after any earlier event still being written), before its row is.
      outgoing.push({ event, ready: true, dropped: false });
      deliverReady();
      return;
    }
    if (tail?.open) closeRow(tail);
    rows.push({ input, id, createdAt, waiters: [waiter], pieces: null, open: false });
    outgoing.push({ event, ready: false, dropped: false });
    flushing ??= flush();
  }

  async function insertRows(batch: PendingRow[]): Promise<void> {
    try {
      await db.insert(schema.events).values(
        batch.map(({ input, id, createdAt, pieces }) => ({
          id,
          type: input.type,
          userId: input.scope.userId ?? null,
          projectId: input.scope.projectId ?? null,
          conversationId: input.scope.conversationId ?? null,
          taskId: input.scope.taskId ?? null,
          payload:
            pieces && pieces.length > 1 ? { ...(input.payload as DeltaPayload), pieces } : input.payload,
          createdAt,
        })),
      );
    } catch (error) {
      const [only] = batch;
      if (batch.length === 1 && only) {
        settle(only, error);
        return;
      }
      // One bad event (say, about a conversation deleted a moment ago) must not sink the others.
      for (const one of batch) await insertRows([one]);
      return;
    }
    for (const row of batch) settle(row, null);
  }

  /** A row is written (or refused): its events may go out, and replay now finds them in the table. */
  function settle(row: PendingRow, error: unknown) {
    for (const waiter of row.waiters) {
      const pending = outgoing.find((o) => o.event === waiter.event);
      if (pending) {
        pending.ready = true;
        pending.dropped = error !== null;
      }
    }
    deliverReady();
    while (deliveredUnstored.length > 0 && Number(deliveredUnstored[0]?.id) <= row.id)
      deliveredUnstored.shift();
    for (const waiter of row.waiters) {
      if (error === null) waiter.resolve(waiter.event);
      else waiter.reject(error);
    }
  }

  /**
   * Rows are written through this one loop, in id order, so the table always holds every id up to some
   * point and nothing past it. A row still taking chunks waits (its window is short), and so does what
   * follows it. Publishes that arrive while a batch is being written share the next INSERT.
   */
  async function flush(): Promise<void> {
    try {
      // Never settles synchronously: `flushing` is assigned this promise after the call returns.
      await null;
      for (;;) {
        const count = rows.findIndex((row) => row.open);
        const batch = rows.splice(0, Math.min(count === -1 ? rows.length : count, MAX_BATCH));
        if (batch.length === 0) break;
        await insertRows(batch);
        // The embedded driver answers without leaving the microtask queue: let the subscribers run.
        if (rows.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      // Reached with nothing closed pending (no await since the check), so the next close starts a new loop.
      flushing = null;
    }
  }

  function publish(input: EventInput): Promise<AnyBusEvent> {
    if (closed) return Promise.reject(new Error("The event bus is closed"));
    return new Promise((resolve, reject) => {
      if (nextId > blockEnd || waitingForIds.length > 0) {
        waitingForIds.push({ input, resolve, reject });
        prefetchBlock();
        takeBlockIfOut();
        return;
      }
      publishNow(input, resolve, reject);
    });
  }

  async function readPage(filter: EventFilter, afterId: number): Promise<AnyBusEvent[]> {
    const found = await db
      .select()
      .from(schema.events)
      .where(filterCondition(filter, afterId))
      .orderBy(asc(schema.events.id))
      .limit(pageSize);
    return found.map((row) => toBusEvent(row, afterId));
  }

  function emit(listener: Listener, event: AnyBusEvent) {
    const id = Number(event.id);
    if (listener.stopped || id <= listener.cursor) return;
    listener.cursor = id;
    listener.sink(event);
  }

  /**
   * Reads the table from the cursor, page by page; then the chunks delivered before the read that are not
   * written yet; then what was published meanwhile (queued, as the listener was registered first). Runs
   * again if that queue overflowed; otherwise the listener goes live, with nothing between.
   */
  async function catchUp(listener: Listener, onError: ((error: unknown) => void) | undefined) {
    while (!listener.stopped) {
      listener.queue = [];
      listener.overflowed = false;
      const unstored = deliveredUnstored.filter((event) => matchesFilter(listener.filter, event));
      let page: AnyBusEvent[];
      try {
        page = await readPage(listener.filter, listener.cursor);
      } catch (error) {
        listener.end();
        onError?.(error);
        return;
      }
      for (const event of page) emit(listener, event);
      if (page.length >= pageSize) continue;
      for (const event of unstored) emit(listener, event);
      if (listener.overflowed) continue;
      for (const event of listener.queue) emit(listener, event);
      listener.queue = [];
      listener.live = true;
      return;
    }
  }

  function listen(
    filter: EventFilter,
    sink: EventSink,
    { afterId, signal, onError, onClosed }: ListenOptions = {},
  ) {
    const startAfter = parseEventId(afterId);
    const listener = readers.attach(
      {
        filter,
        sink,
        // Live only: after the newest id handed out so far.
        cursor: startAfter ?? lastId,
        live: startAfter === null,
        overflowed: false,
        onClosed,
      },
      signal,
      closed,
    );
    if (listener && startAfter !== null) void catchUp(listener, onError);
  }

  function subscribe(filter: EventFilter, options: SubscribeOptions = {}) {
    parseEventId(options.afterId);
    return pullSubscription(listen, filter, options, {
      queueLimit,
      closed: () => closed,
      track: readers.track,
      untrack: readers.untrack,
      // Ids are consecutive here: the one before the first that arrived.
      resumeBefore: (first) => (first === null ? null : String(Number(first) - 1)),
    });
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
    listen,
    // Trimming leaves no gap a client could notice: it removes the oldest events, which a client resuming
    // from an older id has missed anyway (as before this check existed, it gets what is kept).
    // One process: its relay deletes a row right after the publish, so only a crash in between sends
    // one again (the multi-process bus, Redis, skips it).
    publishFromOutbox: async (_outboxId, input) => {
      await publish(input);
    },
    checkResumeId: async (afterId) => {
      parseEventId(afterId);
    },
    health: () =>
      db.$client.execute("SELECT 1").then(
        () => "up" as const,
        () => "down" as const,
      ),
    async close() {
      closed = true;
      clearInterval(timer);
      readers.endAll();
      await ready.catch(() => {});
      // Publishes accepted before the close (some may still be waiting for their ids) are written.
      do {
        await new Promise((resolve) => setImmediate(resolve));
        for (const row of rows) if (row.open) closeRow(row);
        await flushing;
      } while (flushing || rows.length > 0 || waitingForIds.length > 0);
    },
    stats: readers.stats,
    trim,
  };
}
