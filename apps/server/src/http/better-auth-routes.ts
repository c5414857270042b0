// better-auth's own routes under /api/auth: only those a browser or a verifier needs are served, and its
// password sign-ins pass the same login limits as POST /api/v1/auth/login. The rest of what better-auth
// would serve (list-sessions with other sessions' tokens, change-password, two-factor, API keys, admin…)
// has a documented /api/v1 twin that applies Crewdeck's rules, so it is not exposed here.
import {
  type ApiDeps,
  asApiError,
  beginLoginAttempt,
  type LoginAttempt,
  loginIdentifier,
  recordAuditEvent,
  toContractError,
} from "@crewdeck/api";
import type { Hono } from "hono";
import { errorResponse } from "./errors";
import { type AppEnv, forwardedRequest } from "./request-context";

const BASE = "/api/auth";
const SIGN_IN = new Set(["/sign-in/email", "/sign-in/username"]);
/**
 * Served as better-auth serves them. Email verification links are kept for a configured mailer. Not
 * get-session: it hands a cookie's session token to script (GET /api/v1/auth/me tells who is signed in).
 */
const PASSTHROUGH = new Set([
  "/sign-out",
  "/jwks",
  "/token",
  "/ok",
  "/error",
  "/verify-email",
  "/send-verification-email",
]);

async function readJson(req: Request): Promise<Record<string, unknown>> {
  try {
    const body = await req.clone().json();
    return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

export function mountBetterAuthRoutes(app: Hono<AppEnv>, deps: ApiDeps) {
  app.use(`${BASE}/*`, async (c, next) => {
    await next();
    // Sessions, JWTs and signing keys: nothing here belongs in a cache.
    c.res.headers.set("Cache-Control", "no-store");
  });

  app.on(["GET", "POST"], `${BASE}/*`, async (c) => {
    const route = c.req.path.slice(BASE.length);
    const requestId = c.get("requestId");
    if (PASSTHROUGH.has(route)) return deps.auth.handler(forwardedRequest(c));
    if (!SIGN_IN.has(route) || c.req.method !== "POST") {
      return errorResponse(
        404,
        "RESOURCE_NOT_FOUND",
        "No such endpoint; the API is under /api/v1",
        requestId,
      );
    }
    const req = forwardedRequest(c);
    const body = await readJson(req);
    const identifier = loginIdentifier(
      route === "/sign-in/username" ? { username: text(body.username) } : { email: text(body.email) },
    );
    const resHeaders = new Headers();
    const withLimitHeaders = (response: Response) => {
      resHeaders.forEach((value, name) => {
        response.headers.set(name, value);
      });
      return response;
    };
    let attempt: LoginAttempt;
    try {
      attempt = await beginLoginAttempt({ ...deps, clientIp: c.get("clientIp"), resHeaders }, identifier);
    } catch (error) {
      const known = asApiError(error);
      if (!known) throw error;
      const { status, body: shaped } = toContractError(known, requestId);
      return withLimitHeaders(errorResponse(status, shaped.code, shaped.message, requestId, shaped.details));
    }
    const response = await deps.auth.handler(req);
    // 200 means the password was right, whether a session or a second-factor challenge follows.
    if (response.status === 200) await attempt.succeeded();
    const tried =
      identifier?.kind === "username" ? { username: identifier.username } : { email: identifier?.email };
    await recordAuditEvent(
      deps.db,
      {
        action: response.status === 200 ? "auth.login_succeeded" : "auth.login_failed",
        actorUserId: response.status === 200 ? attempt.userId : null,
        subjectUserId: attempt.userId,
        request: { clientIp: c.get("clientIp"), headers: c.req.raw.headers },
        details: { ...tried, method: "password", via: "cookie" },
      },
      deps.engine.logger,
    );
    return withLimitHeaders(new Response(response.body, response));
  });
}
