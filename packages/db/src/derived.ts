// Figures the database keeps up to date itself, with triggers on the rows they are computed from, so no
// writer (the engine, a webhook, a recovery at start-up, a test inserting rows) can forget them or let them
// drift. drizzle-kit does not manage triggers; `migrateDatabase` installs each set after the migrations.

export type DerivedFigures = {
  /** What the figures are, for errors and logs. */
  name: string;
  /** Trigger name → its CREATE TRIGGER statement. */
  triggers: Record<string, string>;
  /**
   * Recomputes the figures from the rows, run in the same transaction that (re)installs the triggers: on a
   * database that had rows before the triggers, or whose triggers a migration dropped with a rebuilt table.
   */
  backfill: string[];
};
