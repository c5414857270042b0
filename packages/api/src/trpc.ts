import { initTRPC } from "@trpc/server";
import { middlewareMarker } from "@trpc/server/unstable-core-do-not-import";
import type { OpenApiMeta } from "trpc-to-openapi";
import { z } from "zod";
import type { Context } from "./context";
import { asApiError, forbidden, toContractError } from "./errors";
import { authenticateRequest } from "./lib/guards";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotencyKeyFrom,
  releaseIdempotencyKey,
  replayedError,
  requestFingerprint,
  WITHHELD_SECRET,
} from "./lib/idempotency";
import { assertAcceptableInput } from "./lib/input-guard";
import { type MemberRole, requireProjectRole, withinCredentialProject } from "./services/projects/access";

/** trpc-to-openapi's meta, plus what the guards must know of a procedure. */
export type ProcedureMeta = OpenApiMeta & {
  /**
   * The response carries a secret (tokens, an API key, a TOTP seed, backup codes, an invitation link). It is
   * sent with `Cache-Control: no-store`, over REST and tRPC alike, and an Idempotency-Key still makes it run
   * once, but its response is never stored: a retry answers 409 instead of a second copy.
   * `secret-responses.test.ts` fails for a procedure whose output has such a field and lacks the flag.
   */
  secretResponse?: boolean;
  /**
   * Managing the account itself (its keys, sessions, second factor, export, deletion) needs a person's
   * session; an API key gets 403.
   */
  sessionOnly?: boolean;
  /**
   * What an API key limited to one project may do here. Every authenticated procedure says (the
   * authorization matrix test fails for one that does not), so nothing of the account is forgotten:
   * - `narrowed`: it reaches only the key's project: a project's membership is checked, a list across
   *   projects shows that project alone (the default of `projectProcedure`);
   * - `allowed`: it holds nothing of any project (who the caller is, the shared catalogues);
   * - `refused`: it reaches the account or the whole site (profile, notifications, GitHub connection,
   *   a new project, administration): a project key gets 403.
   */
  projectKey?: "narrowed" | "allowed" | "refused";
};

/**
 * 1. INITIALISATION
 * tRPC is initialised once, here. Errors leave in the contract's shape: tRPC clients find it under
 * `error.data.error`, and the REST façade sends it as the whole body. `isDev: false` keeps stack traces
 * out of responses in every environment.
 */
const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    isDev: false,
    // Subscriptions (SSE): a comment every 15 s keeps proxies from closing an idle stream, and a client
    // that hears nothing for 45 s reconnects with its last event id.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 45_000 } },
    errorFormatter({ shape, error, ctx }) {
      const { status, body } = toContractError(error, ctx?.requestId ?? "unknown");
      return {
        message: body.message,
        code: shape.code,
        data: { code: shape.data.code, httpStatus: status, path: shape.data.path, error: body },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * 2. BASE PROCEDURES
 * Every procedure starts from one of these; routers never use `t.procedure` directly.
 */
const procedure = t.procedure.use(async ({ ctx, meta, getRawInput, next }) => {
  // A response that carries a secret must not sit in a browser's or proxy's cache either.
  if (meta?.secretResponse) ctx.resHeaders.set("Cache-Control", "no-store");
  assertAcceptableInput(await getRawInput());
  const result = await next();
  if (!result.ok) {
    const engineError = asApiError(result.error.cause);
    if (engineError) throw engineError;
  }
  return result;
});

export const publicProcedure = procedure;

/**
 * Signed in by any means the contract allows, past the CSRF check and the general rate limit. An API key
 * needs the scope the procedure's type asks for (queries and subscriptions `read`, mutations `write`),
 * may not call `sessionOnly` procedures, and reaches only its project when it is limited to one (then
 * `projectKey: "refused"` procedures answer 403).
 * A POST mutation that carries an `Idempotency-Key` runs at most once; its retries get the stored response.
 */
export const authedProcedure = procedure
  .use(async ({ ctx, type, meta, next }) => {
    const viewer = await authenticateRequest(ctx, {
      access: type === "mutation" ? "write" : "read",
      sessionOnly: meta?.sessionOnly,
      outsideProject: meta?.projectKey === "refused",
    });
    return withinCredentialProject(viewer.apiKey?.projectId ?? null, () => next({ ctx: { viewer } }));
  })
  .use(async ({ ctx, type, path, meta, getRawInput, next }) => {
    const key = type === "mutation" && ctx.method === "POST" ? idempotencyKeyFrom(ctx.headers) : null;
    if (!key) return next();
    const claim = await claimIdempotencyKey(ctx, {
      userId: ctx.viewer.user.id,
      key,
      method: ctx.method,
      path,
      requestHash: requestFingerprint(await getRawInput()),
    });
    if (claim.kind === "replay") {
      ctx.resHeaders.set("Idempotent-Replayed", "true");
      const { status, body } = claim.response;
      if (status >= 400) throw replayedError(body);
      // A middleware may answer without calling next(); tRPC only needs its marker on the result.
      return { ok: true as const, data: body, marker: middlewareMarker };
    }
    const result = await next();
    if (result.ok) {
      const stored = meta?.secretResponse ? WITHHELD_SECRET : { status: 200, body: result.data };
      await completeIdempotencyKey(ctx, claim.rowId, stored);
      return result;
    }
    const { status, body } = toContractError(result.error, ctx.requestId);
    // Stripe's rule: a request that never took effect (bad input, a fault of ours) is not remembered.
    if (status >= 500 || body.code === "VALIDATION_ERROR") await releaseIdempotencyKey(ctx, claim.rowId);
    else {
      await completeIdempotencyKey(ctx, claim.rowId, {
        status,
        body: { code: body.code, message: body.message, details: body.details },
      });
    }
    return result;
  });

/** Site administrators only; the site is outside any project a key may be limited to. */
export const adminProcedure = authedProcedure.meta({ projectKey: "refused" }).use(({ ctx, next }) => {
  if (ctx.viewer.user.role !== "admin") throw forbidden("Administrators only");
  return next();
});

/**
 * 3. PROJECT PROCEDURES
 * Take `projectId` from the input and check membership. Non-members get 404 (ids cannot be probed);
 * members below the required role get 403.
 */
export const projectProcedure = (minRole: MemberRole) =>
  authedProcedure
    .meta({ projectKey: "narrowed" })
    .input(z.object({ projectId: z.string().min(1) }))
    .use(async ({ ctx, input, next }) => {
      const membership = await requireProjectRole(ctx.db, input.projectId, ctx.viewer.user.id, minRole);
      return next({ ctx: { project: membership.project, memberRole: membership.role } });
    });
