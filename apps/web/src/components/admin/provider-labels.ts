// How the admin screens name each model provider and where its settings come from.
import type { RouterOutputs } from "../../lib/trpc";

export type ProviderDescription = RouterOutputs["providers"]["list"]["items"][number];

export const PROVIDER_NAMES: Record<ProviderDescription["provider"], { name: string; detail: string }> = {
  anthropic: {
    name: "Anthropic",
    detail: "Claude models through the Anthropic API, or a compatible proxy by base URL.",
  },
  openai: {
    name: "OpenAI-compatible",
    detail: "Any chat-completions server by base URL: OpenAI, OpenRouter, a self-hosted Ollama or vLLM.",
  },
};

export const SOURCE_LABELS: Record<ProviderDescription["source"], string> = {
  admin: "Set here",
  environment: "From the server's environment",
  none: "Not configured",
};

/**
 * What a save sends: a typed key replaces the stored one (left empty, the stored key stays); the base URL
 * is sent as typed, and an emptied one is forgotten.
 */
export function providerChange(form: { apiKey: string; baseUrl: string }, current: ProviderDescription) {
  const apiKey = form.apiKey.trim();
  const baseUrl = form.baseUrl.trim();
  return {
    provider: current.provider,
    ...(apiKey ? { apiKey } : {}),
    ...(baseUrl !== (current.baseUrl ?? "") ? { baseUrl: baseUrl || null } : {}),
  };
}

/**
 * What is missing, said for the form right below it. The server's own text is for API clients (it names
 * environment variables and the admin endpoint), which would send the person away from the form that fixes it.
 */
export function providerIssueHere(provider: ProviderDescription): string | null {
  if (!provider.issue) return null;
  if (provider.provider === "anthropic") {
    return provider.source === "admin"
      ? "Not usable yet: settings are stored without an API key. Paste a key below and save."
      : "Not configured yet: paste an Anthropic API key below and save.";
  }
  return "Not configured yet: paste an API key below, or only a base URL for a server that needs no key (Ollama, vLLM), and save.";
}
