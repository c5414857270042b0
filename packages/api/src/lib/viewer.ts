// Who is calling: an access token (JWT), a session (refresh) token, an API key, or a browser cookie.
import { API_KEY_HEADER, type Auth, looksLikeJwt, verifyAccessToken } from "@crewdeck/auth";
import { type Database, schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { forbidden, unauthorized } from "../errors";

export type UserRow = typeof schema.users.$inferSelect;
export type AuthMethod = "access-token" | "session-token" | "cookie" | "api-key";
export type Viewer = { user: UserRow; sessionId: string | null; via: AuthMethod };

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

async function sessionByToken(db: Database, token: string) {
  return db.query.sessions.findFirst({ where: eq(schema.sessions.token, token) });
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
): Promise<{ userId: string; sessionId: string; via: AuthMethod } | null> {
  if (!isLive(session)) return null;
  await touchSession(db, session);
  return { userId: session.userId, sessionId: session.id, via };
}

async function identify(db: Database, auth: Auth, headers: Headers) {
  const apiKey = headers.get(API_KEY_HEADER);
  if (apiKey) {
    const result = await auth.api.verifyApiKey({ body: { key: apiKey } });
    if (!result.valid || !result.key) throw unauthorized("Invalid or expired API key");
    return { userId: result.key.referenceId, sessionId: null, via: "api-key" as const };
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
    const found = await fromSession(db, await sessionByToken(db, token), "session-token");
    if (!found) throw unauthorized("Invalid or expired session token");
    return found;
  }
  if (headers.get("cookie")) {
    const result = await auth.api.getSession({ headers });
    if (result) return { userId: result.user.id, sessionId: result.session.id, via: "cookie" as const };
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
  return { user, sessionId: identity.sessionId, via: identity.via };
}
