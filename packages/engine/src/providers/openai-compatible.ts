// Any OpenAI-compatible chat-completions server (OpenAI, Ollama, vLLM, OpenRouter) through the openai SDK.
import OpenAI from "openai";
import { incompleteStreamError, type PartialCall, toModelCallError } from "./call-failure";
import { fromOpenAiFinishReason, type MaxTokensField, toOpenAiParams } from "./openai-request";
import { createRetryWatch, watchedFetch } from "./retry-watch";
import {
  EMPTY_USAGE,
  type ModelContentBlock,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
  type StreamOptions,
} from "./types";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
const LABEL = "OpenAI-compatible provider";

export type OpenAiCompatibleProviderOptions = {
  /** Optional when `baseUrl` points at a server that needs none (Ollama, vLLM). */
  apiKey?: string | null | undefined;
  /** Including the `/v1` prefix, e.g. `http://localhost:11434/v1`. */
  baseUrl?: string | null | undefined;
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
  /** Defaults to `max_completion_tokens` for api.openai.com and `max_tokens` elsewhere. */
  maxTokensField?: MaxTokensField | undefined;
};

type DraftToolCall = { id: string; name: string; args: string };

function parseArguments(json: string): unknown {
  if (json.trim() === "") return {};
  try {
    return JSON.parse(json);
  } catch {
    // Arguments cut short stay visible as text so the tool can reject them.
    return json;
  }
}

export function createOpenAiCompatibleProvider(options: OpenAiCompatibleProviderOptions): ModelProvider {
  const apiKey = options.apiKey || null;
  const baseUrl = options.baseUrl || null;
  if (!apiKey && !baseUrl) {
    throw new Error(
      "An OpenAI-compatible provider needs an API key, or the base URL of a server that needs none",
    );
  }
  const baseURL = baseUrl ?? OPENAI_DEFAULT_BASE_URL;
  const maxRetries = options.maxRetries ?? 3;
  const maxTokensField =
    options.maxTokensField ??
    (new URL(baseURL).host === "api.openai.com" ? "max_completion_tokens" : "max_tokens");
  // Every setting is explicit so the SDK never falls back to OPENAI_* variables. The SDK insists on a key;
  // without one a placeholder satisfies it and the Authorization header is dropped (null removes it).
  const client = new OpenAI({
    apiKey: apiKey ?? "not-needed",
    baseURL,
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    maxRetries,
    ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
    ...(!apiKey && { defaultHeaders: { Authorization: null } }),
  });

  async function stream(request: ModelRequest, { signal, onText, onRetry }: StreamOptions = {}) {
    const partial: PartialCall = { providerMessageId: null, usage: { ...EMPTY_USAGE }, text: "" };
    const toolCalls = new Map<number, DraftToolCall>();
    let stopReason: StopReason = "other";
    let finished = false;
    const watch = createRetryWatch({ label: LABEL, maxRetries, onRetry, signal });

    try {
      // The SDK has no per-request hook, so each call gets a light clone whose fetch reports its retries.
      const events = await client
        .withOptions({ fetch: watchedFetch(watch) })
        .chat.completions.create(toOpenAiParams(request, maxTokensField), { signal });
      for await (const chunk of events) {
        partial.providerMessageId ??= chunk.id || null;
        if (chunk.usage) {
          // prompt_tokens includes cached ones; they are counted apart, as Anthropic does, to price them apart.
          const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
          partial.usage = {
            inputTokens: chunk.usage.prompt_tokens - cached,
            outputTokens: chunk.usage.completion_tokens,
            cacheReadTokens: cached,
            cacheWriteTokens: 0,
          };
        }
        const choice = chunk.choices.find((c) => c.index === 0);
        if (!choice) continue;
        const text = choice.delta?.content ?? choice.delta?.refusal;
        if (text) {
          partial.text += text;
          onText?.(text);
        }
        for (const call of choice.delta?.tool_calls ?? []) {
          const draft = toolCalls.get(call.index) ?? { id: "", name: "", args: "" };
          if (call.id) draft.id = call.id;
          if (call.function?.name) draft.name = call.function.name;
          if (call.function?.arguments) draft.args += call.function.arguments;
          toolCalls.set(call.index, draft);
        }
        if (choice.finish_reason) {
          stopReason = fromOpenAiFinishReason(choice.finish_reason);
          finished = true;
        }
      }
    } catch (error) {
      throw toModelCallError(LABEL, error, partial, signal);
    }
    // The SDK ends the iteration quietly when the request is aborted.
    if (!finished) throw incompleteStreamError(LABEL, partial, signal);

    const content: ModelContentBlock[] = [];
    if (partial.text) content.push({ type: "text", text: partial.text });
    for (const [index, call] of [...toolCalls.entries()].sort(([a], [b]) => a - b)) {
      content.push({
        type: "tool_use",
        id: call.id || `call_${index}`,
        name: call.name,
        input: parseArguments(call.args),
      });
    }
    const response: ModelResponse = {
      providerMessageId: partial.providerMessageId,
      content,
      stopReason,
      usage: partial.usage,
    };
    return response;
  }

  return { name: "openai", stream };
}
