// Statements built once per database or transaction rather than at every call: drizzle's building of a
// statement (its SQL text, its columns' mappers) takes longer than SQLite takes to run a simple one, and a
// run step runs dozens. Values go in through `sql.placeholder`; the statement runs on the executor it was
// built on, so one built on a transaction runs inside it.
import type { Executor } from "./client";

/** `build(db)`, made once for each executor it is asked for. */
export function preparedOn<T>(build: (db: Executor) => T): (db: Executor) => T {
  const built = new WeakMap<Executor, T>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}
