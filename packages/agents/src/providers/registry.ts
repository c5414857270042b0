// Which provider serves a model, with credentials from an admin's runtime settings or the environment.
import type { Database } from "@crewdeck/db";
import type { ProviderRegistry } from "./types";

/** Credentials from the environment; an admin's stored settings take precedence. */
export type ProviderEnvironment = {
  anthropicApiKey?: string | undefined;
  anthropicBaseUrl?: string | undefined;
  openaiApiKey?: string | undefined;
  openaiBaseUrl?: string | undefined;
};

export type ProviderRegistryOptions = {
  db: Database;
  env: ProviderEnvironment;
  /** Encrypts keys stored at runtime (derived from the server's secret). */
  secret: string;
};

export function createProviderRegistry(_options: ProviderRegistryOptions): ProviderRegistry {
  const todo = (): never => {
    throw new Error("TODO(providers helper): implement");
  };
  return { get: todo, configured: async () => ({}) };
}
