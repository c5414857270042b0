// Who is calling: an access token (JWT), a session (refresh) token, an API key, or a browser cookie.
import { API_KEY_HEADER, type Auth, hashToken, looksLikeJwt, verifyAccessToken } from "@crewdeck/auth";
import { type Database, schema } from "@crewdeck/db";
import { eq, sql } from "drizzle-orm";
import { forbidden, unauthorized } from "../errors";
import { type ApiKeyGrant, grantOf } from "../services/auth/api-keys";

export type UserRow = typeof schema.users.$inferSelect;
export type AuthMethod = "access-token" | "session-token" | "cookie" | "api-key";
export type Viewer = {
  user: UserRow;
  sessionId: string | null;
  via: AuthMethod;
  /** What the API key the caller came with may do; null for a person's own session. */
  apiKey: ApiKeyGrant | null;
};

/**
 * Who a service acts for: a person's id and site role. A procedure takes it from its viewer; a job from
 * whoever it works for, so services never need the request.
 */
export type Actor = { userId: string; role: UserRow["role"] };
export const actorOf = (viewer: Viewer): Actor => ({ userId: viewer.user.id, role: viewer.user.role });
export const isAdmin = (actor: Actor) => actor.role === "admin";

// Writing "last used" on every request would turn each read into a write; a few minutes is precise enough.
const LAST_USED_RESOLUTION_MS = 5 * 60_000;

type SessionRow = typeof schema.sessions.$inferSelect;
type SessionWithUser = { session: SessionRow; user: UserRow };

/**
 * The two lookups every bearer request makes, the session and its user in one statement, prepared once
 * per database: building and preparing the SQL afresh cost more than running it.
 */
function prepareSessionLookups(db: Database) {
  const withUser = () =>
    db
      .select({ session: schema.sessions, user: schema.users })
      .from(schema.sessions)
      .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId));
  return {
    byId: withUser()
      .where(eq(schema.sessions.id, sql.placeholder("id")))
      .limit(1)
      .prepare(),
    byTokenHash: withUser()
      .where(eq(schema.sessions.token, sql.placeholder("tokenHash")))
      .limit(1)
      .prepare(),
  };
}

const sessionLookups = new WeakMap<Database, ReturnType<typeof prepareSessionLookups>>();
function lookupsOf(db: Database) {
  let lookups = sessionLookups.get(db);
  if (!lookups) {
    lookups = prepareSessionLookups(db);
    sessionLookups.set(db, lookups);
  }
  return lookups;
}

async function touchSession(db: Database, session: SessionRow) {
  const now = Date.now();
  if (session.lastUsedAt && now - session.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  await db
    .update(schema.sessions)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(schema.sessions.id, session.id));
}

async function fromSession(
  db: Database,
  found: SessionWithUser | undefined,
  via: AuthMethod,
): Promise<Identity | null> {
  if (!found || found.session.expiresAt.getTime() <= Date.now()) return null;
  await touchSession(db, found.session);
  return { userId: found.user.id, user: found.user, sessionId: found.session.id, via, apiKey: null };
}

type Identity = {
  userId: string;
  /** The user's row when it came with the credential's own lookup. */
  user?: UserRow;
  sessionId: string | null;
  via: AuthMethod;
  apiKey: ApiKeyGrant | null;
};

async function identify(db: Database, auth: Auth, headers: Headers): Promise<Identity | null> {
  const apiKey = headers.get(API_KEY_HEADER);
  if (apiKey) {
    const result = await auth.api.verifyApiKey({ body: { key: apiKey } });
    if (!result.valid || !result.key) throw unauthorized("Invalid or expired API key");
    const row = await db.query.apiKeys.findFirst({ where: eq(schema.apiKeys.id, result.key.id) });
    if (!row) throw unauthorized("Invalid or expired API key");
    return { userId: result.key.referenceId, sessionId: null, via: "api-key", apiKey: grantOf(row) };
  }
  const authorization = headers.get("authorization");
  if (authorization) {
    const [scheme, token] = authorization.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token)
      throw unauthorized("Use 'Authorization: Bearer <token>'");
    const lookups = lookupsOf(db);
    if (looksLikeJwt(token)) {
      const claims = await verifyAccessToken(auth, token);
      const found =
        claims &&
        (await fromSession(db, (await lookups.byId.execute({ id: claims.sessionId }))[0], "access-token"));
      if (!found) throw unauthorized("Invalid or expired access token");
      return found;
    }
    const [session] = await lookups.byTokenHash.execute({ tokenHash: hashToken(token) });
    const found = await fromSession(db, session, "session-token");
    if (!found) throw unauthorized("Invalid or expired session token");
    return found;
  }
  if (headers.get("cookie")) {
    const result = await auth.api.getSession({ headers });
    if (result) return { userId: result.user.id, sessionId: result.session.id, via: "cookie", apiKey: null };
  }
  return null;
}

/** The caller, or null when the request carries no credentials. Bad credentials are a 401, never anonymous. */
export async function resolveViewer(db: Database, auth: Auth, headers: Headers): Promise<Viewer | null> {
  const identity = await identify(db, auth, headers);
  if (!identity) return null;
  const user =
    identity.user ?? (await db.query.users.findFirst({ where: eq(schema.users.id, identity.userId) }));
  if (!user) throw unauthorized("The account no longer exists");
  if (user.banned && (!user.banExpires || user.banExpires.getTime() > Date.now())) {
    throw forbidden(user.banReason ? `This account is banned: ${user.banReason}` : "This account is banned");
  }
  // A key acts with its owner's admin role only when it was given the `admin` scope.
  const role = identity.apiKey && !identity.apiKey.scopes.includes("admin") ? "user" : user.role;
  return {
    user: { ...user, role },
    sessionId: identity.sessionId,
    via: identity.via,
    apiKey: identity.apiKey,
  };
}
