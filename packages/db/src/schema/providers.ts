// Model provider credentials an admin sets at runtime; they take precedence over the environment's.
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "../columns";
import { users } from "./auth";

export const MODEL_PROVIDERS = ["anthropic", "openai"] as const;
export type ModelProviderName = (typeof MODEL_PROVIDERS)[number];

export const providerSettings = sqliteTable("provider_settings", {
  provider: text("provider", { enum: MODEL_PROVIDERS }).primaryKey(),
  /** AES-256-GCM ciphertext (`v1.<iv>.<tag>.<data>`, base64url); the key never leaves the server. */
  apiKeyEncrypted: text("api_key_encrypted"),
  /** For OpenAI-compatible servers (Ollama, vLLM, OpenRouter) and Anthropic proxies. */
  baseUrl: text("base_url"),
  updatedById: text("updated_by_id").references(() => users.id, { onDelete: "set null" }),
  ...timestamps(),
});
