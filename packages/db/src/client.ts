import { writeFile } from "node:fs/promises";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema/index";
import { cachePreparedStatements } from "./statement-cache";
import { serializeWrites } from "./write-lock";

export type Schema = typeof schema;
export type Database = LibSQLDatabase<Schema> & { $client: Client };

export type DatabaseOptions = {
  /** `file:/path/db.sqlite` for the embedded engine, or `libsql://…` / `http(s)://…` for a libSQL server. */
  url: string;
  authToken?: string;
};

export const isEmbeddedUrl = (url: string): boolean => url.startsWith("file:") || url === ":memory:";

/** The path of an embedded database file (`file:/path/db.sqlite?mode=…`), or null for memory or a server. */
function embeddedFilePath(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const rest = url.slice("file:".length).split("?")[0] ?? "";
  return rest && rest !== ":memory:" ? decodeURIComponent(rest.replace(/^\/\/(?=\/)/, "")) : null;
}

/**
 * A new database file is created readable by its owner only (SQLite gives its WAL and shared-memory files
 * the same mode); an existing one keeps its mode.
 */
async function createPrivateFile(file: string): Promise<void> {
  await writeFile(file, "", { flag: "a", mode: 0o600 });
}

/**
 * Opens the database. An embedded file gets WAL (readers never wait for the writer), a busy timeout
 * (concurrent writers queue instead of failing), foreign keys enforced, and its writes on one connection of
 * their own with `synchronous = NORMAL`: a pooled connection opened later would keep SQLite's default (FULL),
 * an fsync of the WAL at every commit — about 1 ms each here against 0.02, and a step commits a dozen times.
 * NORMAL in WAL mode stays consistent after a crash; a power cut may lose the last commits.
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  // `timeout` is the busy timeout of every pooled connection: the client opens more than one (a transaction
  // holds its own), and a PRAGMA would reach only the connection that ran it.
  const file = embeddedFilePath(options.url);
  if (file) await createPrivateFile(file);
  if (isEmbeddedUrl(options.url)) cachePreparedStatements();
  const raw = createClient({ url: options.url, authToken: options.authToken, timeout: 5000 });
  // An in-memory database exists on one connection only, so its writer is the same client.
  const writer = file
    ? createClient({ url: options.url, authToken: options.authToken, timeout: 5000, concurrency: 1 })
    : raw;
  const client = isEmbeddedUrl(options.url) ? serializeWrites(raw, writer) : raw;
  if (isEmbeddedUrl(options.url)) {
    await writer.execute("PRAGMA journal_mode = WAL");
    await writer.execute("PRAGMA synchronous = NORMAL");
  }
  // A write as far as the lock can tell, so it reaches the writer (libSQL enforces foreign keys by default).
  await client.execute("PRAGMA foreign_keys = ON");
  return drizzle(client, { schema, casing: "snake_case" }) as Database;
}

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** A function that works the same inside or outside a transaction. */
export type Executor = Database | Transaction;
