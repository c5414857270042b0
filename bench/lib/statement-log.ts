// Every SQL statement the process runs through the embedded libSQL driver (BEGIN and COMMIT included), with
// the time each took on the event loop: what a benchmark counts to say how many statements a step costs.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

type NativeStatement = Record<"run" | "get" | "all", (...args: unknown[]) => unknown>;
type NativeDatabase = { prepare(sql: string): NativeStatement };

const dbPackage = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../packages/db/package.json");
const libsqlClient = createRequire(dbPackage).resolve("@libsql/client");
const libsql = createRequire(libsqlClient)("libsql") as { prototype: NativeDatabase };

/** `ms` is the time spent running the statement, preparing it included (`prepareMs`). */
export type StatementTally = { sql: string; count: number; ms: number; prepareMs: number; maxMs: number };

export type StatementLog = {
  /** Starts (or restarts) counting. */
  start(): void;
  /** Stops counting and returns what ran since `start`, most time first. */
  stop(): StatementTally[];
};

/**
 * Patches the driver's `prepare` once: a statement is counted each time it is prepared, that is each time it
 * runs (the client prepares before every run; a connection that keeps its statements hands back the same one,
 * whose methods are wrapped once and count towards whatever tally is open).
 */
export function createStatementLog(): StatementLog {
  let tallies: Map<string, StatementTally> | null = null;
  const wrapped = new WeakSet<NativeStatement>();
  const prepare = libsql.prototype.prepare;
  libsql.prototype.prepare = function (this: NativeDatabase, sql: string) {
    const started = performance.now();
    const statement = prepare.call(this, sql);
    if (!tallies) return statement;
    const tally = tallies.get(sql) ?? { sql, count: 0, ms: 0, prepareMs: 0, maxMs: 0 };
    tallies.set(sql, tally);
    tally.count += 1;
    const prepared = performance.now() - started;
    tally.ms += prepared;
    tally.prepareMs += prepared;
    if (wrapped.has(statement)) return statement;
    wrapped.add(statement);
    for (const method of ["run", "get", "all"] as const) {
      const original = statement[method];
      if (typeof original !== "function") continue;
      statement[method] = (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return original.apply(statement, args);
        } finally {
          const took = performance.now() - t0;
          const open = tallies?.get(sql);
          if (open) {
            open.ms += took;
            open.maxMs = Math.max(open.maxMs, took);
          }
        }
      };
    }
    return statement;
  };
  return {
    start() {
      tallies = new Map();
    },
    stop() {
      const result = [...(tallies?.values() ?? [])].sort((a, b) => b.ms - a.ms);
      tallies = null;
      return result;
    },
  };
}
