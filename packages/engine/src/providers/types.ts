// What the engine asks of a model provider. Anthropic and OpenAI-compatible servers both fit behind it,
// so roles, tools, metering and budgets never see a provider's own SDK types.

export type ModelContentBlock =
  | { type: "text"; text: string }
  /** Vision input: base64 bytes of a PNG, JPEG, GIF or WebP image. */
  | { type: "image"; mediaType: string; data: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "tool_result"; toolUseId: string; content: string; isError?: boolean };

export type ModelMessage = { role: "user" | "assistant"; content: string | ModelContentBlock[] };

/**
 * A tool Anthropic's models were trained on, declared by type instead of by schema (a "client tool": the
 * model calls it, we run it). Other providers get a function with the definition's own JSON Schema.
 */
export type AnthropicClientTool =
  | { type: "text_editor_20250728" /** Cuts what `view` shows of a file. */; maxCharacters?: number }
  | { type: "bash_20250124" };

export type ToolDefinition = {
  name: string;
  description: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: Record<string, unknown>;
  /** Set when Anthropic knows this tool by type; its name must then be the one Anthropic fixes for that type. */
  anthropicClientTool?: AnthropicClientTool;
};

export type ModelRequest = {
  /** The provider's model id (the catalog's `id`). */
  model: string;
  system: string;
  messages: ModelMessage[];
  maxTokens: number;
  temperature: number;
  tools?: ToolDefinition[] | undefined;
};

export type ModelUsage = {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
};

export type StopReason = "end_turn" | "max_tokens" | "tool_use" | "stop_sequence" | "refusal" | "other";

export type ModelResponse = {
  /** The provider's id for this response; the usage record is keyed by it so it is never charged twice. */
  providerMessageId: string | null;
  /** Text and tool_use blocks, in the order the model produced them. */
  content: ModelContentBlock[];
  stopReason: StopReason;
  usage: ModelUsage;
};

export type RetryNotice = {
  /** 1 for the first retry. */
  attempt: number;
  /** The HTTP status that caused it (429 rate limited, 529 overloaded, 5xx), or null for a network error. */
  status: number | null;
  message: string;
};

export type StreamOptions = {
  /** Aborts the HTTP request at once; the call then fails with `aborted: true` and its partial usage. */
  signal?: AbortSignal | undefined;
  /** Each text chunk as the model streams it. */
  onText?: ((delta: string) => void) | undefined;
  /** Each retry the SDK makes after a 429, 529 or 5xx, so the run's log can show it. */
  onRetry?: ((notice: RetryNotice) => void) | undefined;
};

export const EMPTY_USAGE: ModelUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
};

/** A failed or aborted call, with whatever the provider had reported before it ended. */
export class ModelCallError extends Error {
  constructor(
    message: string,
    readonly info: {
      aborted: boolean;
      /** The provider's HTTP status, when it answered with an error. */
      status?: number | null | undefined;
      providerMessageId?: string | null | undefined;
      usage: ModelUsage;
      /** Text streamed before the failure. */
      partialText: string;
    },
  ) {
    super(message);
    this.name = "ModelCallError";
  }
}

export interface ModelProvider {
  readonly name: string;
  /** Streams one model turn. Resolves with the whole response; rejects with a `ModelCallError`. */
  stream(request: ModelRequest, options?: StreamOptions): Promise<ModelResponse>;
}

/** Resolves the provider that serves a catalog model, with the credentials configured right now. */
export interface ProviderRegistry {
  /**
   * The provider for `provider` (the catalog entry's provider name). Throws an `EngineError`
   * (`MODEL_PROVIDER_ERROR`) that says how to configure it when it has no credentials.
   */
  get(provider: string): Promise<ModelProvider>;
  /** Which providers are configured (for /health), never their keys. */
  configured(): Promise<Record<string, boolean>>;
}
