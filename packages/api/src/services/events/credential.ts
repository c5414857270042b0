// Whether the credential an event stream was opened with still holds. A stream outlives the request that
// opened it, so the checks every request passes at its start are repeated while the stream is open:
// logging out everywhere, revoking the session, a ban, deleting the API key or the account all end it.
import { schema } from "@crewdeck/db";
import { and, eq, gt, or } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { type ApiError, asApiError, forbidden, unauthorized } from "../../errors";
import { resolveViewer, type Viewer } from "../../lib/viewer";
import { isBanned } from "../admin/users";

/**
 * Null while the credential holds; otherwise the error the stream ends with. `fresh`: read the database
 * now (a recheck asked for after a logout, a ban…) rather than take an answer another stream just got.
 */
export type CredentialCheck = (options?: { fresh?: boolean }) => Promise<ApiError | null>;

/**
 * Streams opened with one credential share its answer for this long, so a thousand tabs or clients of one
 * sign-in cost one check per period rather than a thousand.
 */
const SHARED_FOR_MS = 1_000;
const sharedAnswers = new WeakMap<object, Map<string, Promise<ApiError | null>>>();

function shareAnswers(
  db: object,
  key: string | null,
  check: () => Promise<ApiError | null>,
): CredentialCheck {
  if (key === null) return check;
  return ({ fresh = false } = {}) => {
    let answers = sharedAnswers.get(db);
    if (!answers) {
      answers = new Map();
      sharedAnswers.set(db, answers);
    }
    const known = answers.get(key);
    if (known && !fresh) return known;
    const answer = check();
    answers.set(key, answer);
    const forget = () => {
      if (answers.get(key) === answer) answers.delete(key);
    };
    setTimeout(forget, SHARED_FOR_MS).unref();
    answer.catch(forget);
    return answer;
  };
}

const SIGNED_OUT = "The sign-in this stream was opened with has ended";

/**
 * How a stream opened by `viewer` with these request headers checks its credential later.
 *
 * An API key is resolved again as at the start of a request (`resolveViewer`). A session-based
 * credential (access token, session token, cookie) is held to its sign-in rather than to the token
 * itself: an access token lives 15 minutes and a refresh rotates the session, neither of which ends the
 * sign-in, while logging out, revoking the session or a replayed refresh token remove every session of
 * its refresh family.
 */
export async function credentialCheck(
  { db, auth }: Pick<ApiDeps, "db" | "auth">,
  viewer: Viewer,
  headers: Headers,
): Promise<CredentialCheck> {
  const userId = viewer.user.id;
  const sessionId = viewer.sessionId;
  if (!sessionId) return apiKeyCheck(db, auth, userId, viewer.apiKey?.id ?? null, headers);
  const opened = await db.query.sessions.findFirst({
    where: eq(schema.sessions.id, sessionId),
    columns: { familyId: true },
  });
  return sessionCheck(db, userId, opened?.familyId ?? sessionId);
}

// Each kind of check is built by a function of its own, so what it keeps for the life of a stream is what
// it needs: a session-based stream keeps ids, not the request's headers.

function apiKeyCheck(
  db: ApiDeps["db"],
  auth: ApiDeps["auth"],
  userId: string,
  apiKeyId: string | null,
  headers: Headers,
): CredentialCheck {
  const key = apiKeyId ? `key:${userId}:${apiKeyId}` : null;
  return shareAnswers(db, key, async () => {
    try {
      const now = await resolveViewer(db, auth, headers);
      return now?.user.id === userId ? null : unauthorized(SIGNED_OUT);
    } catch (error) {
      const known = asApiError(error);
      if (known) return known;
      throw error;
    }
  });
}

function sessionCheck(db: ApiDeps["db"], userId: string, family: string): CredentialCheck {
  const s = schema.sessions;
  return shareAnswers(db, `session:${userId}:${family}`, async () => {
    // The account first: a ban also ends the sessions, and "banned" says more than "signed out".
    const user = await db.query.users.findFirst({ where: eq(schema.users.id, userId) });
    if (!user) return unauthorized("The account no longer exists");
    if (isBanned(user)) {
      return forbidden(
        user.banReason ? `This account is banned: ${user.banReason}` : "This account is banned",
      );
    }
    const live = await db.query.sessions.findFirst({
      where: and(
        eq(s.userId, userId),
        or(eq(s.id, family), eq(s.familyId, family)),
        gt(s.expiresAt, new Date()),
      ),
      columns: { id: true },
    });
    return live ? null : unauthorized(SIGNED_OUT);
  });
}
