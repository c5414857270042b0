// Registration, password sign-in (by email or username) and the second factor, on top of better-auth.
import {
  asStoredSession,
  createSessionFor,
  findSessionByToken,
  isStandInToken,
  twoFactorCookieName,
} from "@crewdeck/auth";
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { ApiDeps, RequestInfo } from "../../context";
import { asApiError, forbidden, unauthorized } from "../../errors";
import { consumeRateLimit } from "../../lib/rate-limits";
import type { Viewer } from "../../lib/viewer";
import { type AuditEvent, recordAuditEvent } from "../audit/audit";
import { assertUncommonPassword } from "../users/password";
import { withBetterAuthErrors } from "./better-auth-errors";
import {
  beginLoginAttempt,
  clientKey,
  type LoginAttempt,
  type LoginIdentifier,
  loginIdentifier,
} from "./login-limits";
import { issueTokens, type TokenResponse } from "./token-response";

type Deps = ApiDeps & Pick<RequestInfo, "headers" | "clientIp" | "resHeaders">;

const audit = (deps: Deps, event: Omit<AuditEvent, "request">) =>
  recordAuditEvent(deps.db, { ...event, request: deps }, deps.engine.logger);

/** Records a refused attempt (by whom it was tried, never with what) and lets the refusal through. */
async function auditFailure<T>(deps: Deps, event: Omit<AuditEvent, "request">, attempt: () => Promise<T>) {
  try {
    return await attempt();
  } catch (error) {
    await audit(deps, {
      ...event,
      details: { ...event.details, reason: asApiError(error)?.message ?? "error" },
    });
    throw error;
  }
}

/** better-auth sees the caller's IP and user agent (for the session record), never their credentials. */
const forwardHeaders = (headers: Headers): Headers => {
  const forwarded = new Headers(headers);
  for (const name of ["authorization", "cookie", "x-api-key"]) forwarded.delete(name);
  return forwarded;
};

/** The session better-auth just issued, with the plaintext token that only the client keeps. */
async function sessionByToken(deps: ApiDeps, token: string) {
  const session = await findSessionByToken(deps.db, token);
  if (!session) throw new Error("better-auth returned a session token it did not store");
  return { ...session, token };
}

export type RegisterInput = {
  email: string;
  username: string;
  password: string;
  name?: string | undefined;
  invitationToken?: string | undefined;
};

export type RegisterResult = TokenResponse | { requires_email_verification: true; email: string };

/** Who may register is decided where better-auth creates the user row (the sign-up gate), not here. */
export async function register(deps: Deps, input: RegisterInput): Promise<RegisterResult> {
  assertUncommonPassword(input.password, "password");
  const result = await withBetterAuthErrors(() =>
    deps.auth.api.signUpEmail({
      body: {
        email: input.email,
        password: input.password,
        name: input.name ?? input.username,
        username: input.username,
        // Read by the sign-up gate; where the confirmation link leads once the address is verified.
        ...(input.invitationToken && { invitationToken: input.invitationToken }),
        callbackURL: `${deps.settings.appUrl}/login?verified=1`,
      },
      headers: forwardHeaders(deps.headers),
    }),
  );
  // No session until the address is confirmed (the same answer for a taken address, so none can be probed).
  if (!result.token && deps.auth.options.emailAndPassword.requireEmailVerification) {
    return { requires_email_verification: true, email: input.email.toLowerCase() };
  }
  if (!result.token) throw new Error("sign-up did not create a session");
  const userId = result.user.id;
  await audit(deps, { action: "user.signed_up", actorUserId: userId, subjectUserId: userId, details: {} });
  return issueTokens(deps, await sessionByToken(deps, result.token), { isLogin: true });
}

export type LoginInput = { email?: string | undefined; username?: string | undefined; password: string };
export type LoginResult = TokenResponse | { requires_2fa: true; temp_token: string };

/** A cookie's value from a set of Set-Cookie headers. */
function readSetCookie(headers: Headers, name: string): string | null {
  for (const cookie of headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (pair && eq > 0 && pair.slice(0, eq) === name) return decodeURIComponent(pair.slice(eq + 1));
  }
  return null;
}

/** Signs in by password within the login limits; the limits and the sign-in go by the same identifier. */
export async function login(deps: Deps, input: LoginInput): Promise<LoginResult> {
  const identifier = loginIdentifier(input);
  if (!identifier) throw unauthorized("Invalid credentials");
  const attempt = await beginLoginAttempt(deps, identifier);
  const tried =
    identifier.kind === "username" ? { username: identifier.username } : { email: identifier.email };
  const failure = { action: "auth.login_failed", subjectUserId: attempt.userId, details: tried } as const;
  const result = await auditFailure(deps, failure, () => passwordLogin(deps, input, identifier, attempt));
  if (!("requires_2fa" in result && result.requires_2fa)) {
    const userId = (result as TokenResponse).user.id;
    await audit(deps, {
      action: "auth.login_succeeded",
      actorUserId: userId,
      subjectUserId: userId,
      details: { ...tried, method: "password" },
    });
  }
  return result;
}

async function passwordLogin(
  deps: Deps,
  input: LoginInput,
  identifier: LoginIdentifier,
  attempt: LoginAttempt,
): Promise<LoginResult> {
  const headers = forwardHeaders(deps.headers);
  const { response, headers: setHeaders } =
    identifier.kind === "username"
      ? await withBetterAuthErrors(() =>
          deps.auth.api.signInUsername({
            body: { username: identifier.username, password: input.password },
            headers,
            returnHeaders: true,
          }),
        )
      : await withBetterAuthErrors(() =>
          deps.auth.api.signInEmail({
            body: { email: identifier.email, password: input.password },
            headers,
            returnHeaders: true,
          }),
        );
  if (response && "twoFactorRedirect" in response && response.twoFactorRedirect) {
    await attempt.succeeded();
    // The pending second factor lives in better-auth's signed cookie; API clients carry it as temp_token.
    const tempToken = readSetCookie(setHeaders, await twoFactorCookieName(deps.auth));
    if (!tempToken) throw new Error("better-auth asked for a second factor without a challenge cookie");
    return { requires_2fa: true, temp_token: tempToken };
  }
  if (!response || !("token" in response) || !response.token) throw unauthorized("Invalid credentials");
  await attempt.succeeded();
  return issueTokens(deps, await sessionByToken(deps, response.token), { isLogin: true });
}

const looksLikeTotp = (code: string) => /^\d{6}$/.test(code);

/**
 * The user a pending second-factor sign-in is for. A temp_token is better-auth's signed cookie value,
 * `<challenge id>.<signature>`; better-auth checks the signature when it verifies the code, so this only
 * decides whose budget an attempt spends (a forged token names nobody).
 */
async function pendingSignInUser(deps: Deps, tempToken: string): Promise<string | null> {
  const dot = tempToken.lastIndexOf(".");
  if (dot <= 0) return null;
  const ctx = await deps.auth.$context;
  const challenge = await ctx.internalAdapter.findVerificationValue(tempToken.slice(0, dot));
  return challenge && challenge.expiresAt.getTime() > Date.now() ? challenge.value : null;
}

/**
 * A TOTP code that completed a sign-in is refused for the rest of its validity (RFC 6238 §5.2). The code
 * is claimed before it is checked, so two requests racing with one code cannot both win; a claim whose
 * code turns out wrong is given back, since that code may still become valid later.
 */
async function claimTotpCode(deps: Deps, userId: string, code: string): Promise<() => Promise<void>> {
  const key = `${userId}|${code}`;
  try {
    await deps.limiters.usedTotpCodes.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw unauthorized("This code has already been used; wait for the next one");
  }
  return async () => {
    await deps.limiters.usedTotpCodes.delete(key);
  };
}

/**
 * Completes a sign-in that is waiting for its second factor: a TOTP code or a backup code. Attempts are
 * limited per client address and per account; better-auth also ends a challenge after 5 wrong codes.
 */
export async function verifySecondFactor(
  deps: Deps,
  tempToken: string,
  code: string,
): Promise<TokenResponse> {
  await consumeRateLimit(deps.limiters.twoFactorIp, clientKey(deps.clientIp), deps.resHeaders);
  const userId = await pendingSignInUser(deps, tempToken);
  if (userId) await consumeRateLimit(deps.limiters.twoFactorAccount, userId, deps.resHeaders);
  const totp = looksLikeTotp(code);
  const release = userId && totp ? await claimTotpCode(deps, userId, code) : null;
  const headers = forwardHeaders(deps.headers);
  headers.set("cookie", `${await twoFactorCookieName(deps.auth)}=${encodeURIComponent(tempToken)}`);
  const method = totp ? "totp" : "backup_code";
  const result = await auditFailure(
    deps,
    { action: "auth.2fa_failed", subjectUserId: userId, details: { method } },
    async () => {
      try {
        return await withBetterAuthErrors(() =>
          totp
            ? deps.auth.api.verifyTOTP({ body: { code }, headers })
            : deps.auth.api.verifyBackupCode({ body: { code }, headers }),
        );
      } catch (error) {
        await release?.();
        throw error;
      }
    },
  );
  if (!result.token) throw unauthorized("The second factor did not complete the sign-in");
  const tokens = await issueTokens(deps, await sessionByToken(deps, result.token), { isLogin: true });
  await audit(deps, {
    action: "auth.login_succeeded",
    actorUserId: tokens.user.id,
    subjectUserId: tokens.user.id,
    details: { method },
  });
  return tokens;
}

/**
 * Calls a session-bound better-auth endpoint as the viewer's own session. Only the token's hash is stored,
 * so better-auth gets a stand-in token that means this session during the call.
 */
async function asViewerSession<T>(
  deps: Deps,
  viewer: Viewer,
  call: (headers: Headers) => Promise<T>,
): Promise<T> {
  if (!viewer.sessionId) throw forbidden("This needs a signed-in session, not an API key");
  const session = await deps.db.query.sessions.findFirst({ where: eq(schema.sessions.id, viewer.sessionId) });
  if (!session) throw unauthorized("The session has ended");
  return asStoredSession(session.token, (token) => {
    const headers = forwardHeaders(deps.headers);
    headers.set("authorization", `Bearer ${token}`);
    return call(headers);
  });
}

/** better-auth replaces the session when the second factor changes; the new one carries the old family on. */
async function tokensForReplacedSession(
  deps: Deps,
  viewer: Viewer,
  setHeaders: Headers,
): Promise<TokenResponse> {
  const ctx = await deps.auth.$context;
  const cookie = readSetCookie(setHeaders, ctx.authCookies.sessionToken.name);
  // A signed cookie value is `<token>.<signature>`.
  const issued = cookie ? cookie.slice(0, cookie.lastIndexOf(".")) : null;
  const signed = issued && !isStandInToken(issued) ? issued : null;
  const previous = viewer.sessionId
    ? await deps.db.query.sessions.findFirst({ where: eq(schema.sessions.id, viewer.sessionId) })
    : undefined;
  if (signed) {
    return issueTokens(deps, await sessionByToken(deps, signed), {
      familyId: previous?.familyId ?? undefined,
      isLogin: false,
    });
  }
  // The old session goes on, but its plaintext is not stored: a fresh session of its family replaces it.
  if (!previous) throw unauthorized("The session has ended");
  const session = await createSessionFor(deps.auth, viewer.user.id, previous);
  await deps.db.delete(schema.sessions).where(eq(schema.sessions.id, previous.id));
  return issueTokens(deps, session, { familyId: previous.familyId ?? undefined, isLogin: false });
}

export async function enableSecondFactor(deps: Deps, viewer: Viewer, password: string) {
  const result = await asViewerSession(deps, viewer, (headers) =>
    withBetterAuthErrors(() => deps.auth.api.enableTwoFactor({ body: { password }, headers })),
  );
  if (!("totpURI" in result)) throw new Error("better-auth enabled a second factor other than TOTP");
  return { totpUri: result.totpURI, backupCodes: result.backupCodes };
}

/** The first valid code after enabling turns two-factor sign-in on. */
export async function confirmSecondFactor(deps: Deps, viewer: Viewer, code: string): Promise<TokenResponse> {
  const self = { actorUserId: viewer.user.id, subjectUserId: viewer.user.id };
  const { headers: setHeaders } = await auditFailure(
    deps,
    { action: "auth.2fa_failed", ...self, details: { method: "totp", stage: "confirm" } },
    () =>
      asViewerSession(deps, viewer, (headers) =>
        withBetterAuthErrors(() =>
          deps.auth.api.verifyTOTP({ body: { code }, headers, returnHeaders: true }),
        ),
      ),
  );
  await audit(deps, { action: "auth.2fa_enabled", ...self, details: {} });
  return tokensForReplacedSession(deps, viewer, setHeaders);
}

export async function disableSecondFactor(
  deps: Deps,
  viewer: Viewer,
  password: string,
): Promise<TokenResponse> {
  const { headers: setHeaders } = await asViewerSession(deps, viewer, (headers) =>
    withBetterAuthErrors(() =>
      deps.auth.api.disableTwoFactor({ body: { password }, headers, returnHeaders: true }),
    ),
  );
  await audit(deps, {
    action: "auth.2fa_disabled",
    actorUserId: viewer.user.id,
    subjectUserId: viewer.user.id,
    details: {},
  });
  return tokensForReplacedSession(deps, viewer, setHeaders);
}
