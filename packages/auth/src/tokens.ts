// Access tokens (short-lived JWTs, verifiable by third parties through /api/auth/jwks) and the
// session helpers behind refresh tokens.
import type { Auth } from "./auth";

export type AccessTokenClaims = { userId: string; sessionId: string };

export const looksLikeJwt = (token: string): boolean => token.split(".").length === 3;

export async function signAccessToken(auth: Auth, claims: AccessTokenClaims): Promise<string> {
  const { token } = await auth.api.signJWT({
    body: { payload: { sub: claims.userId, sid: claims.sessionId } },
  });
  return token;
}

/** The claims of a valid, unexpired access token issued by this server; null otherwise. */
export async function verifyAccessToken(auth: Auth, token: string): Promise<AccessTokenClaims | null> {
  const { payload } = await auth.api.verifyJWT({ body: { token } });
  if (!payload || typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
  return { userId: payload.sub, sessionId: payload.sid };
}

export type SessionRequestInfo = { ipAddress?: string | null; userAgent?: string | null };

/** Creates a better-auth session (a refresh token) for a user who has already proven who they are. */
export async function createSessionFor(auth: Auth, userId: string, info: SessionRequestInfo) {
  const ctx = await auth.$context;
  const session = await ctx.internalAdapter.createSession(userId, false, {
    ipAddress: info.ipAddress ?? "",
    userAgent: info.userAgent ?? "",
  });
  if (!session) throw new Error("better-auth did not create a session");
  return session;
}

/** The name of better-auth's signed cookie that carries a pending two-factor sign-in. */
export async function twoFactorCookieName(auth: Auth): Promise<string> {
  const ctx = await auth.$context;
  return ctx.createAuthCookie("two_factor").name;
}
