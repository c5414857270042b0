// The event outbox (issue 19): an event about a change is written in the change's own transaction, as a
// row of `event_outbox`, and a relay moves committed rows to the bus in id order, deleting them only once
// the bus has them. A rolled-back change publishes nothing; a crash after the commit loses nothing (the
// next relay, in this process after a restart or in any other, sends what is left); a row sent again
// after a crash between the publish and the delete is skipped by a bus that keys on the outbox id (Redis).
import { type Database, type Executor, schema, type Transaction } from "@crewdeck/db";
import { asc, inArray } from "drizzle-orm";
import type { EventBus } from "./bus";
import type { EventInput } from "./types";

/** What a writer needs to announce a change: the bus itself, or a transaction's outbox. */
export type EventPublisher = { publish(event: EventInput): Promise<unknown> };

/** Stages events in `tx`: each is an outbox row, committed or rolled back with the change it describes. */
export function outboxPublisher(tx: Executor, now: () => Date): EventPublisher {
  return {
    async publish(event) {
      await tx.insert(schema.eventOutbox).values({
        type: event.type,
        userId: event.scope.userId ?? null,
        projectId: event.scope.projectId ?? null,
        conversationId: event.scope.conversationId ?? null,
        taskId: event.scope.taskId ?? null,
        payload: event.payload,
        createdAt: now(),
      });
    },
  };
}

export type EventOutbox = {
  /**
   * Relays every committed row, in order; resolves once the rows committed before the call are on the bus
   * (or, if the bus refused them, once the failure is reported: the rows stay for the next try). Never
   * rejects: the change is committed whatever the bus does.
   */
  flush(): Promise<void>;
  /**
   * Relays what a change just committed, as `flush`, but resolves at once while the bus is cut off from
   * its log: the rows wait in the outbox for the relay, and the change need not wait for the bus.
   */
  flushCommitted(): Promise<void>;
  /** Stops the periodic relay, after a last flush. */
  close(): Promise<void>;
};

export type EventOutboxOptions = {
  /** How often rows left behind (a crash, a bus that was down) are looked for. */
  intervalMs?: number;
  /** Rows relayed per read. */
  batchSize?: number;
  onError?: (message: string, error: unknown) => void;
};

type OutboxRow = typeof schema.eventOutbox.$inferSelect;

const toInput = (row: OutboxRow): EventInput =>
  ({
    type: row.type,
    scope: {
      userId: row.userId,
      projectId: row.projectId,
      conversationId: row.conversationId,
      taskId: row.taskId,
    },
    payload: row.payload,
  }) as EventInput;

/** How often a change waiting for its events to reach the bus checks that the bus is still connected. */
const CONNECTION_CHECK_MS = 25;

export function createEventOutbox(
  db: Database,
  bus: EventBus,
  options: EventOutboxOptions = {},
): EventOutbox {
  const batchSize = options.batchSize ?? 200;
  const o = schema.eventOutbox;
  let closed = false;
  let reported = false;

  async function relay(): Promise<void> {
    for (;;) {
      const rows = await db.select().from(o).orderBy(asc(o.id)).limit(batchSize);
      if (rows.length === 0) return;
      // One at a time, in id order: the bus's order is the commits' order.
      for (const row of rows) await bus.publishFromOutbox(row.id, toInput(row), row.createdAt);
      await db.delete(o).where(
        inArray(
          o.id,
          rows.map((row) => row.id),
        ),
      );
      if (rows.length < batchSize) return;
    }
  }

  /** Relays run one after another in this process; a flush waits for the one it queued behind. */
  let tail: Promise<void> = Promise.resolve();
  /** Flushes queued or under way: while a bus is down they wait for it, so the timer adds none meanwhile. */
  let pending = 0;
  function flush(): Promise<void> {
    pending++;
    const run = tail.then(relay).then(
      () => {
        reported = false;
      },
      (error: unknown) => {
        // Reported once per outage; the rows stay and the periodic relay tries again.
        if (!reported) options.onError?.("Relaying events from the outbox failed; retrying", error);
        reported = true;
      },
    );
    tail = run.finally(() => {
      pending--;
    });
    return run;
  }

  const timer = setInterval(() => {
    if (!closed && pending === 0) void flush();
  }, options.intervalMs ?? 1_000);
  timer.unref();
  // Rows a crash left behind go out first.
  void flush();

  return {
    flush,
    flushCommitted() {
      const connected = bus.connected?.bind(bus);
      if (!connected) return flush();
      if (!connected()) {
        // One relay waiting for the bus is enough: the timer's next one sends whatever it did not.
        if (pending === 0) void flush();
        return Promise.resolve();
      }
      // The bus may be cut off while this waits (or was, before its client noticed): stop waiting then.
      return new Promise<void>((resolve) => {
        const watch = setInterval(() => {
          if (!connected()) done();
        }, CONNECTION_CHECK_MS);
        const done = () => {
          clearInterval(watch);
          resolve();
        };
        void flush().then(done);
      });
    },
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
    },
  };
}

/** How long a committed change waits for its events to reach the bus before it returns anyway. */
const FLUSH_WAIT_MS = 2_000;

/**
 * Runs `work` in one transaction whose events are staged in it (`events.publish`) and relayed once it
 * commits. Without an outbox (tests' engines) the events are held in memory and published after the commit.
 * Either way a bus that fails after the commit is reported (the outbox tries again), not thrown.
 */
export async function transactionWithEvents<T>(
  deps: {
    db: Database;
    bus: EventBus;
    now: () => Date;
    outbox?: EventOutbox | undefined;
    logger?: { error: (message: string, error?: unknown) => void };
  },
  work: (tx: Transaction, events: EventPublisher) => Promise<T>,
): Promise<T> {
  const { outbox } = deps;
  if (!outbox) {
    const pending: EventInput[] = [];
    const held: EventPublisher = {
      publish: async (event) => {
        pending.push(event);
      },
    };
    const result = await deps.db.transaction((tx) => work(tx, held));
    // Committed: a bus that fails now is reported, never the change's failure.
    for (const event of pending) {
      await deps.bus
        .publish(event)
        .catch((error) => deps.logger?.error(`Publishing a ${event.type} event failed`, error));
    }
    return result;
  }
  const result = await deps.db.transaction((tx) => work(tx, outboxPublisher(tx, deps.now)));
  // Usually the events are on the bus before this returns, so what the caller publishes next follows
  // them. A bus that is down (Redis restarting) does not hold the caller: the relay sends them later.
  // One known to be cut off is not waited for at all; the wait below bounds one that is merely slow.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    outbox.flushCommitted(),
    new Promise((resolve) => {
      timer = setTimeout(resolve, FLUSH_WAIT_MS);
    }),
  ]);
  clearTimeout(timer);
  return result;
}

/**
 * Stages one event that goes with no write of its own (an `error` saying what could not be done), as
 * `transactionWithEvents` does: it follows the events committed before it, and a bus that is down neither
 * holds the caller nor loses it.
 */
export function stageEvent(
  deps: Parameters<typeof transactionWithEvents>[0],
  event: EventInput,
): Promise<unknown> {
  return transactionWithEvents(deps, (_tx, events) => events.publish(event));
}
