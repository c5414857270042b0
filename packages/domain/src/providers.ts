// The model providers whose credentials can be set.
export const MODEL_PROVIDERS = ["anthropic", "openai"] as const;

export type ModelProviderName = (typeof MODEL_PROVIDERS)[number];
