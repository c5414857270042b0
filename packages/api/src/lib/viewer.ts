// Who is calling: an access token (JWT), a session (refresh) token, an API key, or a browser cookie.
import {
  API_KEY_HEADER,
  type Auth,
  findSessionByToken,
  looksLikeJwt,
  verifyAccessToken,
} from "@crewdeck/auth";
import { type Database, schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
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

async function sessionById(db: Database, id: string) {
  return db.query.sessions.findFirst({ where: eq(schema.sessions.id, id) });
}

type SessionRow = typeof schema.sessions.$inferSelect;

async function touchSession(db: Database, session: SessionRow) {
  const now = Date.now();
  if (session.lastUsedAt && now - session.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  await db
    .update(schema.sessions)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(schema.sessions.id, session.id));
}

const isLive = (session: SessionRow | undefined): session is SessionRow =>
  !!session && session.expiresAt.getTime() > Date.now();

async function fromSession(
  db: Database,
  session: SessionRow | undefined,
  via: AuthMethod,
): Promise<Identity | null> {
  if (!isLive(session)) return null;
  await touchSession(db, session);
  return { userId: session.userId, sessionId: session.id, via, apiKey: null };
}

type Identity = { userId: string; sessionId: string | null; via: AuthMethod; apiKey: ApiKeyGrant | null };

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
    if (looksLikeJwt(token)) {
      const claims = await verifyAccessToken(auth, token);
      const found =
        claims && (await fromSession(db, await sessionById(db, claims.sessionId), "access-token"));
      if (!found) throw unauthorized("Invalid or expired access token");
      return found;
    }
    const found = await fromSession(db, await findSessionByToken(db, token), "session-token");
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
  const user = await db.query.users.findFirst({ where: eq(schema.users.id, identity.userId) });
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
