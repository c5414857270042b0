// The embedded database's connections keep their prepared statements: SQLite's own list of a connection's
// statements (`sqlite_stmt`) shows one statement run again and again, and reuse stays correct through
// errors, other arguments, a rebuilt table and transactions.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "./client";

let dir: string;
let db: Database;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "crewdeck-statements-"));
  db = await createDatabase({ url: `file:${path.join(dir, "test.db")}` });
  await db.$client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
});

afterEach(async () => {
  db.$client.close();
  await rm(dir, { recursive: true, force: true });
});

const READ = "SELECT id, v FROM t WHERE id >= ? ORDER BY id";

describe("prepared statements on an embedded database", () => {
  it("prepares a statement once per connection and runs it again", async () => {
    await db.$client.execute({ sql: "INSERT INTO t (v) VALUES (?), (?)", args: ["a", "b"] });
    // One at a time, so each borrows the same idle connection, which then lists its own statements.
    for (let i = 0; i < 5; i++) await db.$client.execute({ sql: READ, args: [1] });
    const { rows } = await db.$client.execute({
      sql: "SELECT run FROM sqlite_stmt WHERE sql = ?",
      args: [READ],
    });
    expect(rows.map((r) => Number(r.run))).toEqual([5]);
  });

  it("gives the right rows for new arguments, after a failed write and after the table was rebuilt", async () => {
    const insert = (v: string) => db.$client.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: [v] });
    await insert("a");
    await insert("b");
    await expect(insert("a")).rejects.toThrow(/UNIQUE/);
    await insert("c");
    expect((await db.$client.execute({ sql: READ, args: [2] })).rows.map((r) => r.v)).toEqual(["b", "c"]);
    expect((await db.$client.execute({ sql: READ, args: [3] })).rows.map((r) => r.v)).toEqual(["c"]);

    // The table rebuilt with its columns in another order: the kept statement is prepared again by SQLite.
    const one = "SELECT v FROM t WHERE id = ?";
    expect((await db.$client.execute({ sql: one, args: [2] })).rows[0]?.v).toBe("b");
    await db.$client.execute("DROP TABLE t");
    await db.$client.execute("CREATE TABLE t (v TEXT NOT NULL, id INTEGER PRIMARY KEY)");
    await db.$client.execute({ sql: "INSERT INTO t (id, v) VALUES (2, 'rebuilt')", args: [] });
    expect((await db.$client.execute({ sql: one, args: [2] })).rows[0]?.v).toBe("rebuilt");
  });

  it("runs a kept statement inside a transaction, which sees its own writes and can roll them back", async () => {
    const count = "SELECT count(*) AS n FROM t";
    const n = async (tx: Pick<Database["$client"], "execute"> = db.$client) =>
      Number((await tx.execute(count)).rows[0]?.n);
    expect(await n()).toBe(0);
    const tx = await db.$client.transaction("write");
    try {
      await tx.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: ["x"] });
      expect(await n(tx)).toBe(1);
      await tx.rollback();
    } finally {
      tx.close();
    }
    expect(await n()).toBe(0);
  });
});
