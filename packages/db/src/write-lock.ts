// One writer at a time within this process, queued without blocking the event loop.
//
// The embedded libSQL driver is synchronous: a statement that meets a write lock sleeps in SQLite's busy
// handler on the event-loop thread. When the lock belongs to a transaction of this same process waiting
// for its next `await`, that transaction cannot go on until the sleeper gives up (the busy timeout), so
// the two deadlock for seconds. Queueing writes here (transactions from BEGIN to COMMIT, and each lone
// write statement) means a connection only ever waits on another process, as SQLite intends.
import type { Client, InStatement, Transaction, TransactionMode } from "@libsql/client";

/** Longer than any transaction should take; past it, something holds the lock by mistake (a write outside `tx`). */
const ACQUIRE_TIMEOUT_MS = 15_000;

class WriteLock {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => mine);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `No database write lock after ${ACQUIRE_TIMEOUT_MS} ms: a write may have been made outside its transaction`,
            ),
          ),
        ACQUIRE_TIMEOUT_MS,
      );
      timer.unref();
    });
    try {
      await Promise.race([previous, timeout]);
    } catch (error) {
      // Give our place in the queue back as soon as we would have had it.
      void previous.then(release);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  }
}

const READ_ONLY = /^\s*(select|explain)\b|^\s*pragma\s+[\w.]+\s*;?\s*$/i;

const sqlOf = (statement: InStatement): string => (typeof statement === "string" ? statement : statement.sql);

function lockedTransaction(tx: Transaction, release: () => void): Transaction {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === "commit" || prop === "rollback") {
        return async () => {
          try {
            await target[prop]();
          } finally {
            release();
          }
        };
      }
      if (prop === "close") {
        return () => {
          try {
            target.close();
          } finally {
            release();
          }
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * The client, with its writes queued behind one process-wide lock. Reads go straight through (WAL). Given a
 * `writer`, every write and transaction goes through it instead: a client with one connection, so settings
 * made on that connection once (`PRAGMA synchronous`, which SQLite keeps per connection and refuses to change
 * inside a transaction) hold for every write, where a pool would open connections that never got them.
 * Since the lock already lets one write through at a time, one connection takes nothing away from writers.
 */
export function serializeWrites(client: Client, writer: Client = client): Client {
  const lock = new WriteLock();
  const withLock = async <T>(run: () => Promise<T>): Promise<T> => {
    const release = await lock.acquire();
    try {
      return await run();
    } finally {
      release();
    }
  };
  const overrides: Partial<Client> = {
    execute: ((statement: InStatement | string, args?: unknown) =>
      READ_ONLY.test(sqlOf(statement))
        ? client.execute(statement as InStatement)
        : withLock(() =>
            args === undefined
              ? writer.execute(statement as InStatement)
              : writer.execute(statement as string, args as never),
          )) as Client["execute"],
    batch: ((statements: InStatement[], mode?: TransactionMode) =>
      withLock(() => writer.batch(statements, mode))) as Client["batch"],
    migrate: ((statements: InStatement[]) => withLock(() => writer.migrate(statements))) as Client["migrate"],
    executeMultiple: ((sql: string) =>
      withLock(() => writer.executeMultiple(sql))) as Client["executeMultiple"],
    transaction: (async (mode?: TransactionMode) => {
      const release = await lock.acquire();
      try {
        return lockedTransaction(await writer.transaction(mode), release);
      } catch (error) {
        release();
        throw error;
      }
    }) as Client["transaction"],
    close: () => {
      if (writer !== client) writer.close();
      client.close();
    },
  };
  return new Proxy(client, {
    get(target, prop) {
      if (prop in overrides) return overrides[prop as keyof Client];
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
