// Migrations run once however many processes start at once on one database (several servers and workers on
// a libSQL server, or on one file): the first to take the lock migrates, the others wait for it to let go
// and then find nothing left to do. The lock is a row in a table of its own, taken with one conditional
// INSERT, so exactly one process gets it; the table is made here, as drizzle's migrator makes its own
// journal table, because it must exist before the first migration. A holder that dies lets go when its
// lease runs out; a live one renews it while it works. Times are the database's clock.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "./client";

export const MIGRATION_LOCK_TABLE = "__crewdeck_migration_lock";

export type MigrationLockOptions = {
  /** How long a holder keeps the lock without renewing it (renewed every third of it). */
  leaseMs?: number;
  /** How long to wait for another process's migration before giving up. */
  waitMs?: number;
  /** Pause between two tries while another process holds it. */
  pollMs?: number;
};

const NOW_MS = "cast(unixepoch('subsec') * 1000 as integer)";

export async function withMigrationLock<T>(
  db: Database,
  work: () => Promise<T>,
  options: MigrationLockOptions = {},
): Promise<T> {
  const { leaseMs = 60_000, waitMs = 10 * 60_000, pollMs = 100 } = options;
  const client = db.$client;
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${MIGRATION_LOCK_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), owner TEXT NOT NULL, expires_at INTEGER NOT NULL)`,
  );
  const owner = `${hostname()}|${process.pid}|${randomUUID()}`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    // Taken when nobody holds it, or its holder stopped renewing it.
    const taken = await client.execute({
      sql: `INSERT INTO ${MIGRATION_LOCK_TABLE} (id, owner, expires_at) VALUES (1, ?, ${NOW_MS} + ?)
            ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE ${MIGRATION_LOCK_TABLE}.expires_at < ${NOW_MS}
            RETURNING owner`,
      args: [owner, leaseMs],
    });
    if (taken.rows.length > 0) break;
    if (Date.now() > deadline) {
      throw new Error(
        `Another process has been migrating the database for over ${waitMs} ms; gave up waiting`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs + Math.random() * pollMs));
  }
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      renewing = client
        .execute({
          sql: `UPDATE ${MIGRATION_LOCK_TABLE} SET expires_at = ${NOW_MS} + ? WHERE owner = ?`,
          args: [leaseMs, owner],
        })
        .catch(() => {});
    },
    Math.floor(leaseMs / 3),
  );
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await renewing;
    await client.execute({ sql: `DELETE FROM ${MIGRATION_LOCK_TABLE} WHERE owner = ?`, args: [owner] });
  }
}
