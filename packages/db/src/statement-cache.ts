// Each connection of an embedded database keeps the statements it has prepared, by their SQL text.
//
// @libsql/client prepares every statement afresh on every call (`db.prepare(sql)` in its `executeStmt`), and
// for the short indexed reads a request makes, SQLite's parsing and planning cost as much as running them:
// about 7% of a REST read's CPU, and 2% more reading the new statement's columns. drizzle's own `.prepare()`
// only keeps the SQL text, so it cannot help. The client exposes no hook on its connections, so the cache
// sits on the connection class of the `libsql` package the client itself loads.
//
// Reuse is safe because the client runs every statement to its end synchronously (`all()` or `run()` inside
// one call), so no two uses of one statement overlap, and SQLite re-prepares a kept statement itself when the
// schema changes under it. Only the client's own one-argument `prepare` calls are cached.
import { createRequire } from "node:module";

type Statement = { pluckMode: boolean };
type Connection = { prepare: (sql: string, ...rest: unknown[]) => Statement };
type ConnectionClass = { prototype: Connection & { [CACHED]?: true } };

/** Statements kept per connection: enough for every statement the server runs often, bounded for the rest. */
export const STATEMENTS_PER_CONNECTION = 500;

const CACHED = Symbol.for("crewdeck.statement-cache");

/** Statements of one connection, most recently used last. */
const byConnection = new WeakMap<Connection, Map<string, Statement>>();

/**
 * What a previous user may have changed. Raw mode is not reset: the client sets it on every statement it
 * runs, and a reader's `raw(false)` would cost a native call (a writer's, a thrown error) at every reuse.
 */
function reset(statement: Statement): Statement {
  statement.pluckMode = false;
  return statement;
}

/** Installs the cache on the connections of the libSQL client this package uses (once per process). */
export function cachePreparedStatements(): void {
  const fromClient = createRequire(createRequire(import.meta.url).resolve("@libsql/client"));
  const Database = fromClient("libsql") as ConnectionClass;
  const proto = Database.prototype;
  if (proto[CACHED]) return;
  const prepare = proto.prepare;
  proto.prepare = function cachedPrepare(this: Connection, sql: string, ...rest: unknown[]) {
    // libsql's own helpers pass extra arguments; they get a statement of their own, as before.
    if (rest.length > 0) return prepare.call(this, sql, ...rest);
    let statements = byConnection.get(this);
    if (!statements) {
      statements = new Map();
      byConnection.set(this, statements);
    }
    const kept = statements.get(sql);
    if (kept) {
      statements.delete(sql);
      statements.set(sql, kept);
      return reset(kept);
    }
    const statement = prepare.call(this, sql);
    statements.set(sql, statement);
    if (statements.size > STATEMENTS_PER_CONNECTION) {
      const oldest = statements.keys().next().value;
      if (oldest !== undefined) statements.delete(oldest);
    }
    return statement;
  };
  proto[CACHED] = true;
}
