// The embedded database's connections: every write commits with the settings `createDatabase` made, whichever
// pooled connection the reads around it happened to open.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./client";

let dir: string;
let db: Database;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "crewdeck-client-"));
  db = await createDatabase({ url: `file:${path.join(dir, "test.db")}` });
});

afterEach(async () => {
  db.$client.close();
  await rm(dir, { recursive: true, force: true });
});

describe("an embedded database", () => {
  it("commits every write with synchronous = NORMAL, also after reads opened more connections", async () => {
    // Reads at once borrow a connection each; the last one given back (opened afresh) is the next one lent.
    await Promise.all([db.$client.execute("SELECT 1"), db.$client.execute("SELECT 2")]);
    const tx = await db.$client.transaction("write");
    try {
      const { rows } = await tx.execute("PRAGMA synchronous");
      // 1 is NORMAL; SQLite's default, 2 (FULL), syncs the WAL to disk at every commit.
      expect(Number(rows[0]?.synchronous)).toBe(1);
      await tx.commit();
    } finally {
      tx.close();
    }
  });

  it("reads beside an open transaction, and sees its writes once committed", async () => {
    await db.$client.execute("CREATE TABLE t (x INTEGER)");
    const tx = await db.$client.transaction("write");
    await tx.execute("INSERT INTO t VALUES (1)");
    const during = await db.$client.execute("SELECT count(*) AS n FROM t");
    expect(Number(during.rows[0]?.n)).toBe(0);
    await tx.commit();
    const after = await db.$client.execute("SELECT count(*) AS n FROM t");
    expect(Number(after.rows[0]?.n)).toBe(1);
  });
});
