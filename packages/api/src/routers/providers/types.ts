import { MODEL_PROVIDERS } from "@crewdeck/domain";
import { z } from "zod";

export const zProviderName = z.enum(MODEL_PROVIDERS);

export const zProviderInput = z.object({ provider: zProviderName });

export const zUpdateProviderInput = zProviderInput.extend({
  /** A new key; null forgets the stored one; absent keeps it. */
  apiKey: z.string().trim().min(1).max(1000).nullable().optional(),
  /** The server to call instead of the provider's own (a proxy, Ollama, vLLM, OpenRouter); null forgets it. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: "Must be an http(s) URL" })
    .max(2048)
    .nullable()
    .optional(),
});

export const zProviderDescription = z.object({
  provider: zProviderName,
  /** Whether model calls to this provider can be made now. */
  configured: z.boolean(),
  /** Where the credentials in use come from: an administrator's settings win over the environment's. */
  source: z.enum(["admin", "environment", "none"]),
  baseUrl: z.string().nullable(),
  /** The key's last four characters (`…abcd`); the key itself is never shown. */
  keyHint: z.string().nullable(),
  /** Why the provider cannot be used and how to fix it; null when it can. */
  issue: z.string().nullable(),
});

export const zProviderList = z.object({ items: z.array(zProviderDescription) });
