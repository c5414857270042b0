import { z } from "zod";
import { zBool, zQueryBool } from "../../lib/schemas";

export const zModel = z.object({
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

export const zModelList = z.object({ items: z.array(zModel) });

export const zListModelsInput = z.object({ includeInactive: zQueryBool.optional() });

const zPrice = z.number().min(0).max(10_000);

export const zModelInput = z.object({
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

export const zUpdateModelInput = zModelInput
  .omit({ id: true })
  .partial()
  .extend({ id: z.string().min(1) });
