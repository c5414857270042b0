// Model provider credentials an admin sets at runtime; they take precedence over the environment's.
import { MODEL_PROVIDERS } from "@crewdeck/domain";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamps } from "../columns";
import { users } from "./auth";

// The values live in @crewdeck/domain, shared with the web app; re-exported so `schema.*` keeps them.
export { MODEL_PROVIDERS, type ModelProviderName } from "@crewdeck/domain";

export const providerSettings = sqliteTable("provider_settings", {
  provider: text("provider", { enum: MODEL_PROVIDERS }).primaryKey(),
  /** AES-256-GCM ciphertext (`v1.<iv>.<tag>.<data>`, base64url); the key never leaves the server. */
  apiKeyEncrypted: text("api_key_encrypted"),
  /** For OpenAI-compatible servers (Ollama, vLLM, OpenRouter) and Anthropic proxies. */
  baseUrl: text("base_url"),
  updatedById: text("updated_by_id").references(() => users.id, { onDelete: "set null" }),
  ...timestamps(),
});
