import { z } from "zod";
import { zIsoDate } from "../../lib/schemas";

export const zApiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  enabled: z.boolean(),
  lastUsedAt: zIsoDate.nullable(),
  expiresAt: zIsoDate.nullable(),
  createdAt: zIsoDate,
});

export const zApiKeyList = z.object({ items: z.array(zApiKey) });

export const zCreateApiKeyInput = z.object({
  name: z.string().trim().min(1).max(64),
  expiresInDays: z.number().int().min(1).max(1825).optional(),
});

/** The only response that carries the secret. */
export const zCreatedApiKey = zApiKey.extend({ key: z.string() });

export const zApiKeyRef = z.object({ id: z.string().min(1) });
