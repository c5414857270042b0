// `Idempotency-Key` with Stripe's semantics (§1): the first response to a POST is stored for 24 h and
// replayed to any retry with the same user, key and request; the same key with another request is a
// 409, and so is a retry that arrives while the first is still running. The handler never runs twice.
//
// What is stored is sealed with a key derived from the server's secret (as provider keys and GitHub tokens
// are), and a response that carries a secret (tokens, an API key, a TOTP seed, backup codes) is not stored
// at all: only that it succeeded, so its retry is a 409 that says so instead of a second copy of the secret.
import { createHash } from "node:crypto";
import { type Database, openSecret, SecretBoxError, schema, sealSecret } from "@crewdeck/db";
import { and, eq, isNotNull, like, lt, not, or } from "drizzle-orm";
import type { ApiDeps } from "../context";
import { ApiError, conflict, ERROR_CODES, type ErrorCode, invalid } from "../errors";

export const IDEMPOTENCY_HEADER = "idempotency-key";
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim still pending after this long belongs to a process that died mid-request; it may be taken over. */
const ABANDONED_AFTER_MS = 10 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type StoredResponse = { status: number; body: unknown };
/** Stored in place of a successful response that carried a secret. */
export const WITHHELD_SECRET = "withheld-secret" as const;
type StoredEnvelope = StoredResponse | { status: number; withheld: typeof WITHHELD_SECRET };
/** The store needs the database and the server's secret, from which its sealing key is derived. */
export type IdempotencyDeps = Pick<ApiDeps, "db" | "settings">;
const SEAL_PURPOSE = "idempotency-responses";
export type IdempotencyClaim = { kind: "new"; rowId: string } | { kind: "replay"; response: StoredResponse };

/** The request's key, checked for shape; null when the client sent none. */
export function idempotencyKeyFrom(headers: Headers): string | null {
  const key = headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return null;
  if (!KEY_PATTERN.test(key)) {
    throw invalid("Idempotency-Key must be 1 to 255 visible ASCII characters", [
      { field: "Idempotency-Key", message: "invalid" },
    ]);
  }
  return key;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export const requestFingerprint = (input: unknown): string =>
  createHash("sha256").update(canonicalJson(input)).digest("hex");

let lastPurge = 0;

/**
 * Expired keys are dropped at most once an hour, by whichever request comes first; so are responses stored
 * in plain text by servers before responses were sealed (the first purge after an upgrade removes them).
 */
async function purgeExpired(db: Database, now: number) {
  if (now - lastPurge < 60 * 60 * 1000) return;
  lastPurge = now;
  const k = schema.idempotencyKeys;
  await db
    .delete(k)
    .where(
      or(lt(k.expiresAt, new Date(now)), and(isNotNull(k.responseBody), not(like(k.responseBody, "v1.%")))),
    );
}

const seal = ({ settings }: IdempotencyDeps, envelope: StoredEnvelope) =>
  sealSecret(settings.providerSecret, JSON.stringify(envelope), SEAL_PURPOSE);

/** The stored response, or null when it cannot be opened (sealed under another server secret). */
function unseal({ settings }: IdempotencyDeps, sealed: string): StoredEnvelope | null {
  try {
    return JSON.parse(openSecret(settings.providerSecret, sealed, SEAL_PURPOSE)) as StoredEnvelope;
  } catch (error) {
    if (error instanceof SecretBoxError) return null;
    throw error;
  }
}

/**
 * Claims `key` for this request before the handler runs. The unique index on (user, key) makes the claim
 * atomic: of two concurrent identical requests exactly one gets `new`; the other sees the pending claim.
 */
export async function claimIdempotencyKey(
  deps: IdempotencyDeps,
  request: { userId: string; key: string; method: string; path: string; requestHash: string },
): Promise<IdempotencyClaim> {
  const { db } = deps;
  const now = Date.now();
  await purgeExpired(db, now);
  for (let attempt = 0; attempt < 2; attempt++) {
    const [claimed] = await db
      .insert(schema.idempotencyKeys)
      .values({ ...request, expiresAt: new Date(now + IDEMPOTENCY_TTL_MS) })
      .onConflictDoNothing()
      .returning({ id: schema.idempotencyKeys.id });
    if (claimed) return { kind: "new", rowId: claimed.id };

    const existing = await db.query.idempotencyKeys.findFirst({
      where: and(
        eq(schema.idempotencyKeys.userId, request.userId),
        eq(schema.idempotencyKeys.key, request.key),
      ),
    });
    if (!existing) continue; // released between our insert and read: claim again
    const abandoned = existing.statusCode === null && now - existing.createdAt.getTime() > ABANDONED_AFTER_MS;
    if (existing.expiresAt.getTime() <= now || abandoned) {
      await db.delete(schema.idempotencyKeys).where(eq(schema.idempotencyKeys.id, existing.id));
      continue;
    }
    if (
      existing.requestHash !== request.requestHash ||
      existing.path !== request.path ||
      existing.method !== request.method
    ) {
      throw conflict("This Idempotency-Key was already used for a different request", {
        key: request.key,
      });
    }
    if (existing.statusCode === null || existing.responseBody === null) {
      throw conflict("A request with this Idempotency-Key is still being processed; retry in a moment", {
        key: request.key,
      });
    }
    const stored = unseal(deps, existing.responseBody);
    if (!stored) {
      // Sealed under a secret the server no longer has: nothing can be replayed, so the key starts afresh.
      await db.delete(schema.idempotencyKeys).where(eq(schema.idempotencyKeys.id, existing.id));
      continue;
    }
    if ("withheld" in stored) {
      throw conflict(
        "The request with this Idempotency-Key already succeeded, but its response held a secret and was not kept, so it cannot be replayed. Look the result up instead (for an API key, GET /api-keys), or send a new key to do it again.",
        { key: request.key, reason: "response_held_a_secret" },
      );
    }
    return { kind: "replay", response: stored };
  }
  throw conflict("This Idempotency-Key is contended; retry in a moment", { key: request.key });
}

/**
 * Stores, sealed, the response the claim's retries will get; for a response that held a secret, only that
 * it succeeded (`WITHHELD_SECRET`).
 */
export async function completeIdempotencyKey(
  deps: IdempotencyDeps,
  rowId: string,
  response: StoredResponse | typeof WITHHELD_SECRET,
) {
  const envelope: StoredEnvelope =
    response === WITHHELD_SECRET
      ? { status: 200, withheld: WITHHELD_SECRET }
      : { status: response.status, body: response.body ?? null };
  await deps.db
    .update(schema.idempotencyKeys)
    .set({ statusCode: envelope.status, responseBody: seal(deps, envelope) })
    .where(eq(schema.idempotencyKeys.id, rowId));
}

/** Forgets a claim whose request never took effect (bad input, a server fault), so a retry runs afresh. */
export async function releaseIdempotencyKey({ db }: IdempotencyDeps, rowId: string) {
  await db.delete(schema.idempotencyKeys).where(eq(schema.idempotencyKeys.id, rowId));
}

/** The stored error of the first attempt, raised again for its retry. */
export function replayedError(body: unknown): ApiError {
  const stored = body as { code?: string; message?: string; details?: unknown };
  const code = stored.code && stored.code in ERROR_CODES ? (stored.code as ErrorCode) : "CONFLICT";
  return new ApiError(code, stored.message ?? "Request failed", stored.details);
}

/**
 * The same rules for a route that is not a procedure (the raw upload): runs `run` at most once per user
 * and key, and answers a retry with the stored response. `input` is what makes two requests "the same".
 */
export async function withIdempotency(
  deps: IdempotencyDeps,
  request: { userId: string; key: string | null; method: string; path: string; input: unknown },
  run: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!request.key) return { ...(await run()), replayed: false };
  const claim = await claimIdempotencyKey(deps, {
    userId: request.userId,
    key: request.key,
    method: request.method,
    path: request.path,
    requestHash: requestFingerprint(request.input),
  });
  if (claim.kind === "replay") {
    if (claim.response.status >= 400) throw replayedError(claim.response.body);
    return { ...claim.response, replayed: true };
  }
  let response: StoredResponse;
  try {
    response = await run();
  } catch (error) {
    const status = error instanceof ApiError ? ERROR_CODES[error.appCode].status : 500;
    if (error instanceof ApiError && status < 500 && error.appCode !== "VALIDATION_ERROR") {
      await completeIdempotencyKey(deps, claim.rowId, {
        status,
        body: { code: error.appCode, message: error.message, details: error.details },
      });
    } else {
      await releaseIdempotencyKey(deps, claim.rowId);
    }
    throw error;
  }
  await completeIdempotencyKey(deps, claim.rowId, response);
  return { ...response, replayed: false };
}
