import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES } from "@crewdeck/domain";
import { z } from "zod";
import { zIsoDate } from "../../lib/schemas";

export const zApiKeyScope = z.enum(API_KEY_SCOPES);

export const zApiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(zApiKeyScope),
  /** The one project the key is limited to; null: every project of its owner. */
  projectId: z.string().nullable(),
  enabled: z.boolean(),
  lastUsedAt: zIsoDate.nullable(),
  expiresAt: zIsoDate.nullable(),
  createdAt: zIsoDate,
});

export const zApiKeyList = z.object({ items: z.array(zApiKey) });

export const zCreateApiKeyInput = z.object({
  name: z.string().trim().min(1).max(64),
  expiresInDays: z.number().int().min(1).max(1825).optional(),
  scopes: z
    .array(zApiKeyScope)
    .min(1)
    .optional()
    .describe(
      `What the key may do: read (GET and event streams), write (changes), admin (act with an admin's role; admins only). Default ${DEFAULT_API_KEY_SCOPES.join(", ")}`,
    ),
  projectId: z
    .string()
    .min(1)
    .optional()
    .describe("Limit the key to this project: it sees and changes nothing else"),
});

/** The only response that carries the secret. */
export const zCreatedApiKey = zApiKey.extend({ key: z.string() });

export const zApiKeyRef = z.object({ id: z.string().min(1) });
