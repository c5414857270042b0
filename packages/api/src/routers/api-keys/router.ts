import { z } from "zod";
import { OK, zOk } from "../../lib/schemas";
import { createApiKey, deleteApiKey, listApiKeys } from "../../services/auth/api-keys";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import { zApiKeyList, zApiKeyRef, zCreateApiKeyInput, zCreatedApiKey } from "./types";

const tags = ["api-keys"];

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
    .output(zApiKeyList)
    .query(({ ctx }) => listApiKeys(ctx, ctx.viewer)),

  create: authedProcedure
    .meta({
      noStore: true,
      openapi: {
        method: "POST",
        path: "/api-keys",
        tags,
        summary: "Create an API key; the secret is shown once",
      },
    })
    .input(zCreateApiKeyInput)
    .output(zCreatedApiKey)
    .mutation(({ ctx, input }) => createApiKey(ctx, ctx.viewer, input)),

  delete: authedProcedure
    .meta({ openapi: { method: "DELETE", path: "/api-keys/{id}", tags, summary: "Revoke an API key" } })
    .input(zApiKeyRef)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      await deleteApiKey(ctx, ctx.viewer, input.id);
      return OK;
    }),
});
