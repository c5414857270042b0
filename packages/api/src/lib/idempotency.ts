// `Idempotency-Key` with Stripe's semantics (§1): the first response to a POST is stored for 24 h and
// replayed to any retry with the same user, key and request; the same key with another request is a
// 409, and so is a retry that arrives while the first is still running. The handler never runs twice.
import { createHash } from "node:crypto";
import { type Database, schema } from "@crewdeck/db";
import { and, eq, lt } from "drizzle-orm";
import { ApiError, conflict, ERROR_CODES, type ErrorCode, invalid } from "../errors";

export const IDEMPOTENCY_HEADER = "idempotency-key";
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim still pending after this long belongs to a process that died mid-request; it may be taken over. */
const ABANDONED_AFTER_MS = 10 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type StoredResponse = { status: number; body: unknown };
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

/** Expired keys are dropped at most once an hour, by whichever request comes first. */
async function purgeExpired(db: Database, now: number) {
  if (now - lastPurge < 60 * 60 * 1000) return;
  lastPurge = now;
  await db.delete(schema.idempotencyKeys).where(lt(schema.idempotencyKeys.expiresAt, new Date(now)));
}

/**
 * Claims `key` for this request before the handler runs. The unique index on (user, key) makes the claim
 * atomic: of two concurrent identical requests exactly one gets `new`; the other sees the pending claim.
 */
export async function claimIdempotencyKey(
  db: Database,
  request: { userId: string; key: string; method: string; path: string; requestHash: string },
): Promise<IdempotencyClaim> {
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
    return {
      kind: "replay",
      response: { status: existing.statusCode, body: JSON.parse(existing.responseBody) },
    };
  }
  throw conflict("This Idempotency-Key is contended; retry in a moment", { key: request.key });
}

/** Stores the response the claim's retries will get. */
export async function completeIdempotencyKey(db: Database, rowId: string, response: StoredResponse) {
  await db
    .update(schema.idempotencyKeys)
    .set({ statusCode: response.status, responseBody: JSON.stringify(response.body ?? null) })
    .where(eq(schema.idempotencyKeys.id, rowId));
}

/** Forgets a claim whose request never took effect (bad input, a server fault), so a retry runs afresh. */
export async function releaseIdempotencyKey(db: Database, rowId: string) {
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
  db: Database,
  request: { userId: string; key: string | null; method: string; path: string; input: unknown },
  run: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (!request.key) return { ...(await run()), replayed: false };
  const claim = await claimIdempotencyKey(db, {
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
      await completeIdempotencyKey(db, claim.rowId, {
        status,
        body: { code: error.appCode, message: error.message, details: error.details },
      });
    } else {
      await releaseIdempotencyKey(db, claim.rowId);
    }
    throw error;
  }
  await completeIdempotencyKey(db, claim.rowId, response);
  return { ...response, replayed: false };
}
