// Migrations under the lock: processes that start at once on one database migrate it once, between them;
// a lock whose holder died is taken over, and a live holder is waited for.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./client";
import { migrateDatabase } from "./migrate";
import { MIGRATION_LOCK_TABLE } from "./migration-lock";

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL("./__fixtures__/migrate-child.ts", import.meta.url));
const MIGRATIONS = fileURLToPath(new URL("../migrations", import.meta.url));

let dir: string;
let url: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "crewdeck-migrate-"));
  url = `file:${path.join(dir, "crewdeck.db")}`;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function inspect(fn: (db: Database) => Promise<void>) {
  const db = await createDatabase({ url });
  try {
    await fn(db);
  } finally {
    db.$client.close();
  }
}

describe("migrations under the lock", () => {
  it("run once when four processes start at once on a fresh database", async () => {
    const migrations = (await readdir(MIGRATIONS)).filter((f) => f.endsWith(".sql")).length;
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, ["--import", "tsx", CHILD, url], { cwd: path.dirname(CHILD) }),
      ),
    );
    const applied = results.map(
      (r) => (JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { applied: number }).applied,
    );
    // One process applied every migration; the others waited and found none left.
    expect(applied.sort((a, b) => b - a)).toEqual([migrations, 0, 0, 0]);
    await inspect(async (db) => {
      const journal = await db.$client.execute("SELECT hash FROM __drizzle_migrations");
      expect(journal.rows).toHaveLength(migrations);
      expect(new Set(journal.rows.map((r) => r.hash)).size).toBe(migrations);
      const lock = await db.$client.execute(`SELECT * FROM ${MIGRATION_LOCK_TABLE}`);
      expect(lock.rows).toHaveLength(0);
    });
  }, 60_000);

  it("takes over a lock whose holder died (its lease ran out), and waits for a live holder", async () => {
    await inspect(async (db) => {
      await migrateDatabase(db);
      await db.$client.execute(
        `INSERT INTO ${MIGRATION_LOCK_TABLE} (id, owner, expires_at) VALUES (1, 'gone|1|x', cast(unixepoch('subsec') * 1000 as integer) - 1)`,
      );
      expect(await migrateDatabase(db)).toEqual({ applied: 0 });

      await db.$client.execute(
        `INSERT INTO ${MIGRATION_LOCK_TABLE} (id, owner, expires_at) VALUES (1, 'alive|1|x', cast(unixepoch('subsec') * 1000 as integer) + 60000)`,
      );
      await expect(migrateDatabase(db, { waitMs: 300, pollMs: 20 })).rejects.toThrow(/Another process/);
      await db.$client.execute(`DELETE FROM ${MIGRATION_LOCK_TABLE}`);
      expect(await migrateDatabase(db)).toEqual({ applied: 0 });
    });
  });
});
