// Session tokens are bearer credentials (refresh tokens, bearer session tokens, the cookie's value), so the
// database keeps only their SHA-256. better-auth reads and writes sessions by token through its adapter;
// wrapping the adapter is the one place where every such read and write passes, better-auth's own
// endpoints and plugins included. Callers keep seeing the plaintext they presented or were just issued.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash, randomBytes } from "node:crypto";
import { type Executor, schema } from "@crewdeck/db";
import type { BetterAuthOptions, DBAdapter, DBTransactionAdapter, Where } from "better-auth/types";
import { eq } from "drizzle-orm";

/** SHA-256 hex of a token: what the database keeps instead of it. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** The stored session a presented token (refresh token, bearer session token) belongs to, if any. */
export async function findSessionByToken(db: Executor, token: string) {
  return db.query.sessions.findFirst({ where: eq(schema.sessions.token, hashToken(token)) });
}

/**
 * A stand-in token that server code may present to better-auth to act as a session whose plaintext it no
 * longer has (the caller signed in with an access token). It is random, and it means that session only
 * inside the `asStoredSession` call that minted it, so no client can ever present it.
 */
const standIn = new AsyncLocalStorage<{ token: string; tokenHash: string }>();

/** The value the database holds for a token presented to better-auth. */
export function storedSessionToken(token: string): string {
  const scoped = standIn.getStore();
  return scoped && scoped.token === token ? scoped.tokenHash : hashToken(token);
}

const STAND_IN_PREFIX = "internal-";

/** Whether better-auth handed back the stand-in (a refreshed cookie) rather than a session of its own. */
export const isStandInToken = (token: string): boolean => token.startsWith(STAND_IN_PREFIX);

/** Runs `fn` with a token that better-auth resolves to the session stored with `tokenHash`. */
export function asStoredSession<T>(tokenHash: string, fn: (token: string) => Promise<T>): Promise<T> {
  const token = `${STAND_IN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return standIn.run({ token, tokenHash }, () => fn(token));
}

const SESSION_MODEL = "session";
const TOKEN_FIELD = "token";

type Row = Record<string, unknown>;

/** Replaces token values in a where clause by their hashes; remembers each hash's plaintext. */
function hashWhere(where: Where[] | undefined, plaintexts: Map<string, string>): Where[] | undefined {
  return where?.map((clause) => {
    if (clause.field !== TOKEN_FIELD) return clause;
    const hashOne = (value: string) => {
      const stored = storedSessionToken(value);
      plaintexts.set(stored, value);
      return stored;
    };
    if (typeof clause.value === "string") return { ...clause, value: hashOne(clause.value) };
    if (Array.isArray(clause.value) && clause.value.every((v) => typeof v === "string")) {
      return { ...clause, value: (clause.value as string[]).map(hashOne) };
    }
    return clause;
  });
}

/** A stored row as better-auth expects it: the token it asked by, or none it could use (the hash stays). */
function restore<T>(row: T, plaintexts: Map<string, string>): T {
  if (!row || typeof row !== "object") return row;
  const stored = (row as Row)[TOKEN_FIELD];
  if (typeof stored !== "string") return row;
  const plaintext = plaintexts.get(stored);
  return plaintext === undefined ? row : ({ ...(row as Row), [TOKEN_FIELD]: plaintext } as T);
}

function wrap<A extends DBTransactionAdapter>(adapter: A): A {
  const isSession = (model: string) => model === SESSION_MODEL;
  return {
    ...adapter,
    create: async (data) => {
      if (!isSession(data.model)) return adapter.create(data);
      const token = (data.data as Row)[TOKEN_FIELD];
      if (typeof token !== "string") return adapter.create(data);
      const stored = hashToken(token);
      const created = await adapter.create({ ...data, data: { ...data.data, [TOKEN_FIELD]: stored } });
      return restore(created, new Map([[stored, token]]));
    },
    findOne: async (data) => {
      if (!isSession(data.model)) return adapter.findOne(data);
      const plaintexts = new Map<string, string>();
      const where = hashWhere(data.where, plaintexts) ?? [];
      return restore(await adapter.findOne({ ...data, where }), plaintexts);
    },
    findMany: async (data) => {
      if (!isSession(data.model)) return adapter.findMany(data);
      const plaintexts = new Map<string, string>();
      const rows = await adapter.findMany({ ...data, where: hashWhere(data.where, plaintexts) });
      return rows.map((row) => restore(row, plaintexts));
    },
    count: (data) =>
      isSession(data.model)
        ? adapter.count({ ...data, where: hashWhere(data.where, new Map()) })
        : adapter.count(data),
    update: async (data) => {
      if (!isSession(data.model)) return adapter.update(data);
      const plaintexts = new Map<string, string>();
      const where = hashWhere(data.where, plaintexts) ?? [];
      return restore(await adapter.update({ ...data, where }), plaintexts);
    },
    updateMany: (data) =>
      isSession(data.model)
        ? adapter.updateMany({ ...data, where: hashWhere(data.where, new Map()) ?? [] })
        : adapter.updateMany(data),
    delete: (data) =>
      isSession(data.model)
        ? adapter.delete({ ...data, where: hashWhere(data.where, new Map()) ?? [] })
        : adapter.delete(data),
    deleteMany: (data) =>
      isSession(data.model)
        ? adapter.deleteMany({ ...data, where: hashWhere(data.where, new Map()) ?? [] })
        : adapter.deleteMany(data),
    consumeOne: async (data) => {
      if (!isSession(data.model)) return adapter.consumeOne(data);
      const plaintexts = new Map<string, string>();
      const where = hashWhere(data.where, plaintexts) ?? [];
      return restore(await adapter.consumeOne({ ...data, where }), plaintexts);
    },
    incrementOne: async (data) => {
      if (!isSession(data.model)) return adapter.incrementOne(data);
      const plaintexts = new Map<string, string>();
      const where = hashWhere(data.where, plaintexts) ?? [];
      return restore(await adapter.incrementOne({ ...data, where }), plaintexts);
    },
  };
}

/** better-auth's database adapter with session tokens stored as SHA-256 hashes. */
export function hashingSessionTokens(
  factory: (options: BetterAuthOptions) => DBAdapter<BetterAuthOptions>,
): (options: BetterAuthOptions) => DBAdapter<BetterAuthOptions> {
  return (options) => {
    const adapter = factory(options);
    return {
      ...wrap(adapter),
      transaction: (callback) => adapter.transaction((trx) => callback(wrap(trx))),
    };
  };
}
