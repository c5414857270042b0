// Access tokens (short-lived JWTs, verifiable by third parties through /api/auth/jwks) and the
// session helpers behind refresh tokens.
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import type { Auth } from "./auth";

export type AccessTokenClaims = { userId: string; sessionId: string };

export const looksLikeJwt = (token: string): boolean => token.split(".").length === 3;

export async function signAccessToken(auth: Auth, claims: AccessTokenClaims): Promise<string> {
  const { token } = await auth.api.signJWT({
    body: { payload: { sub: claims.userId, sid: claims.sessionId } },
  });
  return token;
}

type KeySet = ReturnType<typeof createLocalJWKSet>;

/** How long a removed signing key may still verify tokens: the set is read again at most this often. */
const KEYS_MAX_AGE_MS = 60_000;

/** Tokens remembered as verified, at most: a few per person signed in within a minute. */
const VERIFIED_TOKENS_KEPT = 10_000;

type Verified = { payload: JWTPayload; keys: Promise<KeySet>; notBefore: number; expiresAt: number };

/**
 * The public signing keys, held in memory: better-auth's own `verifyJWT` reads the keys table and imports
 * the key on every call. A token signed with a key we have not seen (one created since) reloads the set,
 * and so does a set older than a minute (a key removed stops verifying); concurrent reloads share one read.
 *
 * A client sends the same token with every request for the token's lifetime, and checking its signature
 * (Ed25519) was 7% of a REST read's CPU: a token whose signature the current key set verified is accepted
 * again without a second check until it expires or the set is read again, whichever comes first, so a
 * removed key still stops verifying within a minute. The exact token text is the key: any other bytes are
 * checked in full.
 */
class AccessTokenVerifier {
  #keys: Promise<KeySet> | null = null;
  #loadedAt = 0;
  #reloading: Promise<KeySet> | null = null;
  #verified = new Map<string, Verified>();

  constructor(private readonly auth: Auth) {}

  #reload(): Promise<KeySet> {
    if (!this.#reloading) {
      const loading = this.auth.api.getJwks().then((jwks) => createLocalJWKSet(jwks as JSONWebKeySet));
      this.#reloading = loading;
      this.#loadedAt = Date.now();
      this.#keys = loading;
      this.#verified.clear();
      loading.then(
        () => {
          this.#reloading = null;
        },
        () => {
          this.#reloading = null;
          if (this.#keys === loading) this.#keys = null;
        },
      );
    }
    return this.#reloading;
  }

  async verify(token: string): Promise<JWTPayload | null> {
    // better-auth signs with issuer and audience set to its base URL, and checks both when it verifies.
    const expected = { issuer: this.auth.options.baseURL, audience: this.auth.options.baseURL };
    const now = Date.now();
    const keys = this.#keys && now - this.#loadedAt < KEYS_MAX_AGE_MS ? this.#keys : this.#reload();
    const known = this.#verified.get(token);
    if (known && known.keys === keys) {
      if (known.notBefore <= now && now < known.expiresAt) return known.payload;
      this.#verified.delete(token);
      return null;
    }
    try {
      return this.#remember(token, keys, (await jwtVerify(token, await keys, expected)).payload);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) return null;
    }
    try {
      const reloaded = this.#reload();
      return this.#remember(token, reloaded, (await jwtVerify(token, await reloaded, expected)).payload);
    } catch {
      return null;
    }
  }

  /** Keeps a verified token's claims while the set that verified it is current (jose has checked `exp`). */
  #remember(token: string, keys: Promise<KeySet>, payload: JWTPayload): JWTPayload {
    if (typeof payload.exp !== "number" || keys !== this.#keys) return payload;
    if (this.#verified.size >= VERIFIED_TOKENS_KEPT) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(token, {
      payload,
      keys,
      notBefore: typeof payload.nbf === "number" ? payload.nbf * 1000 : 0,
      expiresAt: payload.exp * 1000,
    });
    return payload;
  }
}

const verifiers = new WeakMap<Auth, AccessTokenVerifier>();

/** The claims of a valid, unexpired access token issued by this server; null otherwise. */
export async function verifyAccessToken(auth: Auth, token: string): Promise<AccessTokenClaims | null> {
  let verifier = verifiers.get(auth);
  if (!verifier) {
    verifier = new AccessTokenVerifier(auth);
    verifiers.set(auth, verifier);
  }
  const payload = await verifier.verify(token);
  if (!payload?.aud || typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
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
