import { z } from "zod";
import { zBool, zQueryBool } from "../../lib/schemas";
import { createModel, listModels, updateModel } from "../../services/models/models";
import { adminProcedure, authedProcedure, createTRPCRouter } from "../../trpc";

const tags = ["models"];

const zModel = z.object({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  displayName: z.string(),
  inputCostPerMTok: z.number(),
  outputCostPerMTok: z.number(),
  cacheReadCostPerMTok: z.number().nullable(),
  contextWindow: z.number().int(),
  maxOutputTokens: z.number().int(),
  capabilities: z.array(z.string()),
  isActive: z.boolean(),
});

const zPrice = z.number().min(0).max(10_000);
const zModelInput = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-zA-Z0-9._:/-]{1,100}$/, "Letters, digits and . _ : / - only"),
  provider: z.string().trim().min(1).max(50),
  name: z.string().trim().min(1).max(100).optional(),
  displayName: z.string().trim().min(1).max(100),
  inputCostPerMTok: zPrice,
  outputCostPerMTok: zPrice,
  cacheReadCostPerMTok: zPrice.nullable().optional(),
  contextWindow: z.number().int().min(1).max(10_000_000),
  maxOutputTokens: z.number().int().min(1).max(1_000_000),
  capabilities: z.array(z.string().max(50)).max(30).optional(),
  isActive: zBool.optional(),
});

export const modelsRouter = createTRPCRouter({
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/models",
        tags,
        summary: "The model catalog with prices per million tokens (USD)",
        description: "Inactive models are listed only with `includeInactive=true`.",
      },
    })
    .input(z.object({ includeInactive: zQueryBool.optional() }))
    .output(z.object({ items: z.array(zModel) }))
    .query(({ ctx, input }) => listModels(ctx, { includeInactive: input.includeInactive ?? false })),

  create: adminProcedure
    .meta({
      openapi: { method: "POST", path: "/models", tags, summary: "Add a model to the catalog (admin)" },
    })
    .input(zModelInput)
    .output(zModel)
    .mutation(({ ctx, input }) => createModel(ctx, input)),

  update: adminProcedure
    .meta({
      openapi: { method: "PATCH", path: "/models/{id}", tags, summary: "Edit a catalog entry (admin)" },
    })
    .input(
      zModelInput
        .omit({ id: true })
        .partial()
        .extend({ id: z.string().min(1) }),
    )
    .output(zModel)
    .mutation(({ ctx, input: { id, ...changes } }) => updateModel(ctx, id, changes)),
});
