// The event bus over one Redis stream, for several server processes (issue 19): every process appends to
// the stream (XADD) and reads it back with one blocking loop (XREAD BLOCK) that feeds its own listeners,
// so each process delivers the same events in the same order, and a client resumes on any process from a
// stream id (XRANGE after it). Retention is the stream's: at most so many entries and/or so old.
import { createRedisConnection, type Redis } from "../redis/connection";
import { type EventBus, type EventFilter, EventIdError, type EventSink, type SubscribeOptions } from "./bus";
import { matchesFilter } from "./database-event-bus";
import { pullSubscription } from "./pull-subscription";
import { type BaseListener, createReaders } from "./readers";
import type { AnyBusEvent, EventInput } from "./types";

/** How much of the stream is kept: the newest `maxLen` entries (about), and none older than `maxAgeMs`. */
export type EventRetention = { maxLen?: number | undefined; maxAgeMs?: number | undefined };

export type RedisEventBusOptions = {
  /** The stream's key; processes that share it share their events. */
  key?: string;
  retention?: EventRetention;
  /** How often entries past `retention.maxAgeMs` are trimmed. */
  trimIntervalMs?: number;
  /** Entries read per XRANGE while a listener replays. */
  pageSize?: number;
  /** Live events buffered per `subscribe` reader; one that falls further behind reads the stream again. */
  queueLimit?: number;
  /** How long one XREAD waits for new entries before asking again. */
  blockMs?: number;
  now?: () => Date;
  /** Told when the read loop or a trim fails (the bus keeps going: ioredis reconnects). */
  onError?: (message: string, error: unknown) => void;
};

export type RedisEventBus = EventBus & {
  stats(): { subscribers: number; bufferedEvents: number };
  /** Trims entries past the age retention; resolves with how many went. */
  trim(): Promise<number>;
  /**
   * Appends an event relayed from the outbox, once: a row sent again after a crash (its outbox id at or
   * below the highest already appended) is skipped. Resolves with the stream id, or null when skipped.
   */
  appendOnce(outboxId: number, input: EventInput, createdAt: Date): Promise<string | null>;
};

type Listener = BaseListener & {
  /** The newest id handed to the sink; null: live only, from the first event the loop reads. */
  cursor: StreamId | null;
};

/** A stream id `ms-seq` as two numbers, so ids can be ordered here (and nowhere else). */
type StreamId = [number, number];

/** Ids this bus accepts to resume from: Redis stream ids, whole (`1733240000000-3`) or by time (`0`). */
function parseStreamId(id: string): StreamId {
  const match = /^(\d{1,16})(?:-(\d{1,16}))?$/.exec(id);
  if (!match) throw new EventIdError("malformed");
  return [Number(match[1]), Number(match[2] ?? 0)];
}

const compareIds = (a: StreamId, b: StreamId) => a[0] - b[0] || a[1] - b[1];
const formatId = (id: StreamId) => `${id[0]}-${id[1]}`;

type Entry = [id: string, fields: string[]];

function toBusEvent(id: string, fields: string[]): AnyBusEvent | null {
  const at = fields.indexOf("e");
  const body = at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
  if (body === undefined) return null;
  const { type, scope, payload, createdAt } = JSON.parse(body) as Omit<AnyBusEvent, "id">;
  return { id, type, scope, payload, createdAt } as AnyBusEvent;
}

const normaliseScope = (scope: EventInput["scope"]) => ({
  userId: scope.userId ?? null,
  projectId: scope.projectId ?? null,
  conversationId: scope.conversationId ?? null,
  taskId: scope.taskId ?? null,
});

/**
 * Appends an entry unless its outbox id was appended already (KEYS[1] the stream, KEYS[2] the highest
 * outbox id appended; ARGV outbox id, MAXLEN or "" for none, the entry's body). In one script, so the
 * check and the append cannot be split by a crash or by another process's relay.
 */
const APPEND_ONCE = `
local done = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) <= done then return false end
local id
if ARGV[2] ~= '' then
  id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[3])
else
  id = redis.call('XADD', KEYS[1], '*', 'e', ARGV[3])
end
redis.call('SET', KEYS[2], ARGV[1])
return id
`;

/**
 * The bus. `url` (or a connection to copy the settings of) names the Redis; the bus opens two
 * connections of its own: one for commands, one that blocks in XREAD.
 */
export function createRedisEventBus(url: string, options: RedisEventBusOptions = {}): RedisEventBus {
  const key = options.key ?? "crewdeck:events";
  const outboxKey = `${key}:outbox-appended`;
  const { maxLen, maxAgeMs } = options.retention ?? {};
  const pageSize = options.pageSize ?? 500;
  const queueLimit = options.queueLimit ?? 1_000;
  const blockMs = options.blockMs ?? 5_000;
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? (() => {});

  const commands: Redis = createRedisConnection(url);
  const reader: Redis = createRedisConnection(url);
  // Without a listener ioredis prints every failed reconnection; the loop reports what matters.
  commands.on("error", () => {});
  reader.on("error", () => {});

  const readers = createReaders<Listener>();
  const { listeners } = readers;
  let closed = false;
  /** The last id the loop read; every listener that is live has seen everything up to it. */
  let lastRead: StreamId | null = null;

  const xadd = (body: string) =>
    maxLen === undefined
      ? commands.xadd(key, "*", "e", body)
      : commands.xadd(key, "MAXLEN", "~", String(maxLen), "*", "e", body);

  const bodyOf = (input: EventInput, createdAt: Date) =>
    JSON.stringify({
      type: input.type,
      scope: normaliseScope(input.scope),
      payload: input.payload,
      createdAt: createdAt.toISOString(),
    });

  async function publish(input: EventInput): Promise<AnyBusEvent> {
    if (closed) throw new Error("The event bus is closed");
    const createdAt = now();
    const id = await xadd(bodyOf(input, createdAt));
    if (!id) throw new Error("Redis did not append the event");
    return {
      id,
      type: input.type,
      scope: normaliseScope(input.scope),
      payload: input.payload,
      createdAt: createdAt.toISOString(),
    } as AnyBusEvent;
  }

  async function appendOnce(outboxId: number, input: EventInput, createdAt: Date): Promise<string | null> {
    if (closed) throw new Error("The event bus is closed");
    const id = await commands.eval(
      APPEND_ONCE,
      2,
      key,
      outboxKey,
      String(outboxId),
      maxLen === undefined ? "" : String(maxLen),
      bodyOf(input, createdAt),
    );
    return typeof id === "string" ? id : null;
  }

  function emit(listener: Listener, event: AnyBusEvent) {
    if (listener.stopped) return;
    const id = parseStreamId(event.id);
    if (listener.cursor && compareIds(id, listener.cursor) <= 0) return;
    listener.cursor = id;
    if (matchesFilter(listener.filter, event)) listener.sink(event);
  }

  function deliver(event: AnyBusEvent) {
    for (const listener of listeners) {
      if (listener.live) emit(listener, event);
      else listener.queue.push(event);
    }
  }

  /** The newest entry now, so the loop starts after what was published before this process listened. */
  async function newestId(): Promise<StreamId> {
    const [newest] = (await commands.xrevrange(key, "+", "-", "COUNT", 1)) as Entry[];
    return newest ? parseStreamId(newest[0]) : [0, 0];
  }

  const started = (async () => {
    lastRead = await newestId();
  })();
  started.catch(() => {});

  async function readLoop() {
    let failures = 0;
    while (!closed) {
      try {
        if (!lastRead) lastRead = await newestId();
        const found = (await reader.xread(
          "COUNT",
          pageSize,
          "BLOCK",
          blockMs,
          "STREAMS",
          key,
          formatId(lastRead),
        )) as [string, Entry[]][] | null;
        failures = 0;
        for (const [, entries] of found ?? []) {
          for (const [id, fields] of entries) {
            lastRead = parseStreamId(id);
            const event = toBusEvent(id, fields);
            if (event) deliver(event);
          }
        }
      } catch (error) {
        if (closed) return;
        if (failures++ === 0) onError("Reading the event stream failed; retrying", error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * failures)));
      }
    }
  }
  const loop = started.then(readLoop, readLoop);

  /** Whether entries after `afterId` were trimmed (a replay from it would have a gap), or it is unknown. */
  async function resumable(afterId: StreamId): Promise<boolean> {
    let info: unknown[];
    try {
      info = (await commands.call("XINFO", "STREAM", key)) as unknown[];
    } catch (error) {
      // No stream yet: nothing was ever published, so nothing can be missing.
      if (String((error as Error).message).includes("no such key")) return true;
      throw error;
    }
    const field = (name: string) => {
      const at = info.indexOf(name);
      return at >= 0 ? String(info[at + 1]) : null;
    };
    const deleted = field("max-deleted-entry-id");
    const last = field("last-generated-id");
    const first = field("recorded-first-entry-id");
    const trimmed = Number(field("entries-added") ?? 0) > Number(field("length") ?? 0);
    // Trimming does not record what it removed: once anything was, an id before the oldest entry kept may
    // have had followers that are gone (the one just before it had not, but cannot be told apart).
    if (trimmed && first && compareIds(afterId, parseStreamId(first)) < 0) return false;
    if (deleted && compareIds(afterId, parseStreamId(deleted)) < 0) return false;
    // An id the stream never handed out (another stream's, or from before Redis lost its data).
    if (last && compareIds(afterId, parseStreamId(last)) > 0) return false;
    return true;
  }

  async function checkResumeId(afterId: string): Promise<void> {
    if (!(await resumable(parseStreamId(afterId)))) throw new EventIdError("expired");
  }

  /**
   * Reads the stream after the listener's cursor, page by page, then what the loop delivered meanwhile
   * (queued: the listener was registered first), then goes live with nothing between.
   */
  async function catchUp(listener: Listener, onFailure: ((error: unknown) => void) | undefined) {
    try {
      if (listener.cursor && !(await resumable(listener.cursor))) throw new EventIdError("expired");
      for (;;) {
        if (listener.stopped) return;
        const start = listener.cursor ? `(${formatId(listener.cursor)}` : "-";
        const page = (await commands.xrange(key, start, "+", "COUNT", pageSize)) as Entry[];
        for (const [id, fields] of page) {
          const event = toBusEvent(id, fields);
          if (event) emit(listener, event);
          else listener.cursor = parseStreamId(id);
        }
        if (page.length < pageSize) break;
      }
      for (const event of listener.queue) emit(listener, event);
      listener.queue = [];
      listener.live = true;
    } catch (error) {
      listener.end();
      onFailure?.(error);
    }
  }

  function listen(
    filter: EventFilter,
    sink: EventSink,
    {
      afterId,
      signal,
      onError: onFailure,
      onClosed,
    }: SubscribeOptions & { onError?: (error: unknown) => void; onClosed?: () => void } = {},
  ) {
    const startAfter = afterId === null || afterId === undefined ? null : parseStreamId(afterId);
    const listener = readers.attach(
      { filter, sink, cursor: startAfter ?? lastRead, live: startAfter === null, onClosed },
      signal,
      closed,
    );
    if (listener && startAfter !== null) void catchUp(listener, onFailure);
  }

  function subscribe(filter: EventFilter, options: SubscribeOptions = {}) {
    if (options.afterId !== null && options.afterId !== undefined) parseStreamId(options.afterId);
    return pullSubscription(listen, filter, options, {
      queueLimit,
      closed: () => closed,
      track: readers.track,
      untrack: readers.untrack,
      // Stream ids are not consecutive: after the newest the read loop had seen.
      resumeBefore: () => (lastRead ? formatId(lastRead) : "0"),
    });
  }

  async function trim(): Promise<number> {
    if (maxAgeMs === undefined) return 0;
    const oldest = now().getTime() - maxAgeMs;
    // Exact, not `~`: an approximate trim keeps whole blocks of old entries, which would then outlive
    // the age they were promised for. Run once a period, so the cost stays small.
    return Number(await commands.xtrim(key, "MINID", String(Math.max(0, oldest))));
  }

  const timer =
    maxAgeMs === undefined
      ? undefined
      : setInterval(() => {
          trim().catch((error) => onError("Trimming old events failed", error));
        }, options.trimIntervalMs ?? 60_000);
  timer?.unref();

  return {
    publish: publish as EventBus["publish"],
    subscribe,
    listen,
    checkResumeId,
    appendOnce,
    publishFromOutbox: async (outboxId, input, createdAt) => {
      await appendOnce(outboxId, input, createdAt);
    },
    trim,
    connected: () => !closed && commands.status === "ready",
    async health() {
      if (closed) return "down";
      const ping = commands.ping().then(
        () => "up" as const,
        () => "down" as const,
      );
      const timeout = new Promise<"down">((resolve) => setTimeout(() => resolve("down"), 1_000).unref());
      return Promise.race([ping, timeout]);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      readers.endAll();
      // The blocked XREAD ends with its connection.
      reader.disconnect();
      await loop.catch(() => {});
      await commands.quit().catch(() => commands.disconnect());
    },
    stats: readers.stats,
  };
}
