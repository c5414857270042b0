import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/libsql/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Database } from "./client";
import type { DerivedFigures } from "./derived";
import { type MigrationLockOptions, withMigrationLock } from "./migration-lock";
import { messageCountFigures } from "./schema/conversations";
import { usageDailyFigures, usageHourlyFigures, usageShiftedDailyFigures } from "./schema/usage";

const migrationsFolder = fileURLToPath(new URL("../migrations", import.meta.url));

/** Every set of figures the database keeps with triggers. */
const DERIVED: DerivedFigures[] = [
  messageCountFigures,
  usageDailyFigures,
  usageHourlyFigures,
  usageShiftedDailyFigures,
];

/**
 * Applies the committed drizzle-kit migrations that this database has not seen yet, then the triggers that
 * keep derived figures (message counts, daily and hourly usage). The triggers are taken down while migrations run: a
 * migration that rebuilds a table (SQLite's copy, drop and rename) would drop them, or fail on a trigger
 * naming the table it just dropped. Reinstalling recomputes the figures in the same transaction.
 */
export async function migrateDatabase(
  db: Database,
  options: MigrationLockOptions = {},
): Promise<{ applied: number }> {
  // Processes starting together on one database take turns (migration-lock.ts): one migrates, the others
  // then find nothing pending.
  return withMigrationLock(
    db,
    async () => {
      const before = await appliedCount(db);
      if (await hasPendingMigrations(db)) {
        for (const figures of DERIVED) await db.$client.batch(dropTriggers(figures), "write");
      }
      await migrate(db, { migrationsFolder });
      for (const figures of DERIVED) await installDerivedFigures(db, figures);
      return { applied: (await appliedCount(db)) - before };
    },
    options,
  );
}

async function appliedCount(db: Database): Promise<number> {
  const table = await db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`,
  );
  if (!table || table.n === 0) return 0;
  const rows = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM __drizzle_migrations`);
  return Number(rows?.n ?? 0);
}

/** The same test the drizzle migrator makes: a migration newer than the newest one applied. */
async function hasPendingMigrations(db: Database): Promise<boolean> {
  const table = await db.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`,
  );
  if (!table || table.n === 0) return true;
  const last = await db.get<{ at: number | null }>(
    sql`SELECT max(created_at) AS at FROM __drizzle_migrations`,
  );
  const appliedUntil = Number(last?.at ?? 0);
  return readMigrationFiles({ migrationsFolder }).some((m) => m.folderMillis > appliedUntil);
}

const dropTriggers = (figures: DerivedFigures) =>
  Object.keys(figures.triggers).map((name) => `DROP TRIGGER IF EXISTS "${name}"`);

/** Installs the set's triggers and recomputes its figures, unless every trigger of it is already there. */
async function installDerivedFigures(db: Database, figures: DerivedFigures): Promise<void> {
  const names = Object.keys(figures.triggers);
  const present = await db.all<{ name: string }>(
    sql`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ${names}`,
  );
  if (present.length === names.length) return;
  await db.$client.batch(
    [...dropTriggers(figures), ...Object.values(figures.triggers), ...figures.backfill],
    "write",
  );
}
