// Model provider credentials an admin sets at runtime; they take precedence over the environment's.
import { z } from "zod";
import { listProviders, resetProvider, updateProvider } from "../../services/providers/providers";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import { zProviderDescription, zProviderInput, zProviderList, zUpdateProviderInput } from "./types";

const tags = ["providers"];

export const providersRouter = createTRPCRouter({
  list: adminProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/admin/providers",
        tags,
        summary: "Each model provider: configured or not, from where, its base URL and a hint of its key",
      },
    })
    .input(z.void())
    .output(zProviderList)
    .query(({ ctx }) => listProviders(ctx)),

  update: adminProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/admin/providers/{provider}",
        tags,
        summary:
          "Store a provider's key (encrypted) and/or base URL; these replace the environment's as a whole. null forgets a field",
      },
    })
    .input(zUpdateProviderInput)
    .output(zProviderDescription)
    .mutation(({ ctx, input: { provider, ...change } }) =>
      updateProvider(ctx, provider, change, ctx.viewer.user.id),
    ),

  delete: adminProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/admin/providers/{provider}",
        tags,
        summary: "Forget the stored settings of a provider: the environment's apply again",
      },
    })
    .input(zProviderInput)
    .output(zProviderDescription)
    .mutation(({ ctx, input }) => resetProvider(ctx, input.provider)),
});
