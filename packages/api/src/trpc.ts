import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { z } from "zod";
import type { Context } from "./context";
import { forbidden, notFound, toContractError } from "./errors";
import { authenticateRequest } from "./lib/guards";
import { findMembership, type MemberRole, roleAtLeast } from "./services/projects/access";

/**
 * 1. INITIALISATION
 * tRPC is initialised once, here. Errors leave in the contract's shape: tRPC clients find it under
 * `error.data.error`, and the REST façade sends it as the whole body. `isDev: false` keeps stack traces
 * out of responses in every environment.
 */
const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    isDev: false,
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
export const publicProcedure = t.procedure;

/** Signed in by any means the contract allows, past the CSRF check and the general rate limit. */
export const authedProcedure = t.procedure.use(async ({ ctx, next }) => {
  const viewer = await authenticateRequest(ctx);
  return next({ ctx: { viewer } });
});

/** Site administrators only. */
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.viewer.user.role !== "admin") throw forbidden("Administrators only");
  return next();
});

/**
 * 3. PROJECT PROCEDURES
 * Take `projectId` from the input and check membership. Non-members get 404 (ids cannot be probed);
 * members below the required role get 403.
 */
export const projectProcedure = (minRole: MemberRole) =>
  authedProcedure.input(z.object({ projectId: z.string().min(1) })).use(async ({ ctx, input, next }) => {
    const membership = await findMembership(ctx.db, input.projectId, ctx.viewer.user.id);
    if (!membership) throw notFound("Project");
    if (!roleAtLeast(membership.role, minRole)) {
      throw forbidden(`This needs the ${minRole} role in the project; you are ${membership.role}`);
    }
    return next({ ctx: { project: membership.project, memberRole: membership.role } });
  });
