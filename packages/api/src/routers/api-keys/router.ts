import { z } from "zod";
import { OK, zIsoDate, zOk } from "../../lib/schemas";
import { createApiKey, deleteApiKey, listApiKeys } from "../../services/auth/api-keys";
import { authedProcedure, createTRPCRouter } from "../../trpc";

const tags = ["api-keys"];

const zApiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  enabled: z.boolean(),
  lastUsedAt: zIsoDate.nullable(),
  expiresAt: zIsoDate.nullable(),
  createdAt: zIsoDate,
});

export const apiKeysRouter = createTRPCRouter({
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/api-keys",
        tags,
        summary: "The caller's API keys (never the secret)",
      },
    })
    .input(z.void())
    .output(z.object({ items: z.array(zApiKey) }))
    .query(({ ctx }) => listApiKeys(ctx, ctx.viewer)),

  create: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/api-keys",
        tags,
        summary: "Create an API key; the secret is shown once",
      },
    })
    .input(
      z.object({
        name: z.string().trim().min(1).max(64),
        expiresInDays: z.number().int().min(1).max(1825).optional(),
      }),
    )
    .output(zApiKey.extend({ key: z.string() }))
    .mutation(({ ctx, input }) => createApiKey(ctx, ctx.viewer, input)),

  delete: authedProcedure
    .meta({ openapi: { method: "DELETE", path: "/api-keys/{id}", tags, summary: "Revoke an API key" } })
    .input(z.object({ id: z.string().min(1) }))
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      await deleteApiKey(ctx, ctx.viewer, input.id);
      return OK;
    }),
});
