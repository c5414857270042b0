// Which provider serves a model, with credentials from an admin's runtime settings or the environment.
import type { Database } from "@crewdeck/db";
import { EngineError } from "../errors";
import { createAnthropicProvider } from "./anthropic";
import { createOpenAiCompatibleProvider } from "./openai-compatible";
import {
  isModelProviderName,
  MODEL_PROVIDER_NAMES,
  type ModelProviderName,
  type ProviderConfig,
  type ProviderEnvironment,
  resolveProviderConfig,
} from "./provider-settings";
import type { ModelProvider, ProviderRegistry } from "./types";

export type ProviderRegistryOptions = {
  db: Database;
  env: ProviderEnvironment;
  /** Encrypts keys stored at runtime (derived from the server's secret). */
  secret: string;
  /** Passed to every provider client (tests lower the SDKs' retries and timeouts). */
  clientOptions?: { maxRetries?: number | undefined; timeoutMs?: number | undefined } | undefined;
};

export function createProviderRegistry({
  db,
  env,
  secret,
  clientOptions = {},
}: ProviderRegistryOptions): ProviderRegistry {
  // One client per provider, rebuilt only when its credentials change (settings are read on every call,
  // so an administrator's change applies to the next call without a restart).
  const cache = new Map<ModelProviderName, { fingerprint: string; instance: ModelProvider }>();

  const build = (config: ProviderConfig): ModelProvider =>
    config.provider === "anthropic"
      ? createAnthropicProvider({ apiKey: config.apiKey ?? "", baseUrl: config.baseUrl, ...clientOptions })
      : createOpenAiCompatibleProvider({ apiKey: config.apiKey, baseUrl: config.baseUrl, ...clientOptions });

  return {
    async get(provider) {
      if (!isModelProviderName(provider)) {
        throw new EngineError(
          "MODEL_PROVIDER_ERROR",
          `Unknown model provider "${provider}": Crewdeck serves models from ${MODEL_PROVIDER_NAMES.join(" and ")}; an administrator can correct the model's provider with PATCH /api/v1/models/{id}.`,
          { provider },
        );
      }
      const config = await resolveProviderConfig(db, env, secret, provider);
      if (config.issue) {
        throw new EngineError("MODEL_PROVIDER_ERROR", config.issue, { provider, source: config.source });
      }
      const fingerprint = JSON.stringify([config.apiKey, config.baseUrl]);
      const cached = cache.get(provider);
      if (cached?.fingerprint === fingerprint) return cached.instance;
      const instance = build(config);
      cache.set(provider, { fingerprint, instance });
      return instance;
    },

    async configured() {
      const configs = await Promise.all(
        MODEL_PROVIDER_NAMES.map((provider) => resolveProviderConfig(db, env, secret, provider)),
      );
      return Object.fromEntries(configs.map((c) => [c.provider, c.issue === null]));
    },
  };
}
