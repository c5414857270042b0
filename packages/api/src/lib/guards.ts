// The guards every authenticated request passes, whichever transport carries it: tRPC, the REST façade
// or a raw route (uploads, downloads, event streams). Keeping them in one function keeps them identical.
import { timingSafeEqual } from "node:crypto";
import type { Context } from "../context";
import { forbidden, unauthorized } from "../errors";
import { outsideCredentialProject } from "../services/projects/access";
import { consumeRateLimit } from "./rate-limits";
import { resolveViewer, type Viewer } from "./viewer";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The double-submit cookie of seed 004: readable by the page's script, echoed in `X-CSRF-Token`. */
export const CSRF_COOKIE = "csrf_access_token";
export const CSRF_HEADER = "x-csrf-token";

function cookieValue(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

const sameSecret = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/**
 * A cookie is sent by the browser whoever wrote the page, so a cookie-authenticated write must prove it
 * came from our own pages: a trusted `Origin`, or the CSRF cookie's value echoed in a header that only
 * a script on our origin can read and set.
 */
export function checkCsrf(ctx: Pick<Context, "headers" | "method" | "settings">): void {
  if (SAFE_METHODS.has(ctx.method)) return;
  const origin = ctx.headers.get("origin");
  if (origin && ctx.settings.trustedOrigins.includes(origin)) return;
  const cookie = cookieValue(ctx.headers.get("cookie"), CSRF_COOKIE);
  const header = ctx.headers.get(CSRF_HEADER);
  if (cookie && header && sameSecret(cookie, header)) return;
  throw forbidden(
    `Cross-site request refused: send it from a trusted origin, or echo the ${CSRF_COOKIE} cookie in ${CSRF_HEADER}`,
  );
}

/**
 * What a request does with its credential: reads or changes, whether only a person's session may, and
 * whether it reaches past a project (the account, the site), which a key limited to one project may not.
 */
export type CredentialUse = {
  access: "read" | "write";
  sessionOnly?: boolean | undefined;
  outsideProject?: boolean | undefined;
};

/**
 * What an API key may do, decided here for every procedure and raw route: reads need its `read` scope,
 * changes its `write` scope, managing the account itself (keys, sessions, second factor, export,
 * deletion) a person's session, and the account's other data a key not limited to a project. The `admin`
 * scope is applied when the viewer is resolved.
 */
export function authorizeCredential(viewer: Viewer, use: CredentialUse): void {
  const key = viewer.apiKey;
  if (!key) return;
  if (use.sessionOnly) {
    throw forbidden(
      "This needs a signed-in session: API keys cannot manage the account, its keys or sessions",
    );
  }
  if (!key.scopes.includes(use.access))
    throw forbidden(`This API key does not have the '${use.access}' scope`);
  if (use.outsideProject && key.projectId) throw outsideCredentialProject();
}

/** Who is calling, after authentication, CSRF protection, key scopes and the general per-user rate limit. */
export async function authenticateRequest(ctx: Context, use: CredentialUse): Promise<Viewer> {
  const viewer = ctx.viewer ?? (await resolveViewer(ctx.db, ctx.auth, ctx.headers));
  if (!viewer) throw unauthorized();
  if (viewer.via === "cookie") checkCsrf(ctx);
  authorizeCredential(viewer, use);
  await consumeRateLimit(ctx.limiters.general, `user:${viewer.user.id}`, ctx.resHeaders);
  return viewer;
}
