// Claude through the official SDK's streaming Messages API.
import Anthropic from "@anthropic-ai/sdk";
import { fromAnthropicStopReason, toAnthropicParams } from "./anthropic-request";
import { incompleteStreamError, type PartialCall, toModelCallError } from "./call-failure";
import { createRetryWatch } from "./retry-watch";
import {
  EMPTY_USAGE,
  type ModelContentBlock,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
  type StreamOptions,
} from "./types";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";
const LABEL = "Anthropic";

export type AnthropicProviderOptions = {
  apiKey: string;
  /** A proxy or a local fake; the SDK appends `/v1/messages`. */
  baseUrl?: string | null | undefined;
  /** Retries of 408/409/429/529/5xx and connection failures; each one is reported through `onRetry`. */
  maxRetries?: number | undefined;
  /** Per HTTP attempt. */
  timeoutMs?: number | undefined;
};

type DraftBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; json: string; input?: unknown };

/** Tool input arrives as JSON fragments; a fragment cut short stays visible as text so the tool can reject it. */
function parseToolInput(json: string): unknown {
  if (json.trim() === "") return {};
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
}

function toContent(blocks: Array<DraftBlock | undefined>): ModelContentBlock[] {
  const content: ModelContentBlock[] = [];
  for (const block of blocks) {
    if (!block) continue;
    if (block.type === "text") content.push({ type: "text", text: block.text });
    else
      content.push({
        type: "tool_use",
        id: block.id,
        name: block.name,
        input: block.input ?? parseToolInput(block.json),
      });
  }
  return content;
}

export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const maxRetries = options.maxRetries ?? 3;
  // Every setting is passed explicitly: the SDK would otherwise fall back to ANTHROPIC_* variables, and the
  // registry alone decides where credentials come from.
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseUrl || ANTHROPIC_DEFAULT_BASE_URL,
    maxRetries,
    ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
  });

  async function stream(request: ModelRequest, { signal, onText, onRetry }: StreamOptions = {}) {
    const partial: PartialCall = { providerMessageId: null, usage: { ...EMPTY_USAGE }, text: "" };
    const blocks: Array<DraftBlock | undefined> = [];
    let stopReason: StopReason = "other";
    let finished = false;
    const watch = createRetryWatch({ label: LABEL, maxRetries, onRetry, signal });

    try {
      const events = await client.messages.create(toAnthropicParams(request), {
        signal,
        // Per-request middleware sees every HTTP attempt of the SDK's retry loop.
        middleware: [
          async (req, next) => {
            let response: Response;
            try {
              response = await next(req);
            } catch (error) {
              watch.observeFailure(error);
              throw error;
            }
            await watch.observeResponse(response);
            return response;
          },
        ],
      });
      for await (const event of events) {
        switch (event.type) {
          case "message_start": {
            const usage = event.message.usage;
            partial.providerMessageId = event.message.id;
            partial.usage = {
              inputTokens: usage.input_tokens,
              outputTokens: usage.output_tokens,
              cacheReadTokens: usage.cache_read_input_tokens ?? 0,
              cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
            };
            break;
          }
          case "content_block_start": {
            const block = event.content_block;
            if (block.type === "text") {
              blocks[event.index] = { type: "text", text: block.text };
              if (block.text) {
                partial.text += block.text;
                onText?.(block.text);
              }
            } else if (block.type === "tool_use") {
              blocks[event.index] = { type: "tool_use", id: block.id, name: block.name, json: "" };
            }
            break;
          }
          case "content_block_delta": {
            const block = blocks[event.index];
            if (event.delta.type === "text_delta" && block?.type === "text") {
              block.text += event.delta.text;
              partial.text += event.delta.text;
              onText?.(event.delta.text);
            } else if (event.delta.type === "input_json_delta" && block?.type === "tool_use") {
              block.json += event.delta.partial_json;
            }
            break;
          }
          case "content_block_stop": {
            const block = blocks[event.index];
            if (block?.type === "tool_use") block.input = parseToolInput(block.json);
            break;
          }
          case "message_delta": {
            // message_delta carries cumulative counts; the input side may be absent (null).
            const usage = event.usage;
            partial.usage = {
              inputTokens: usage.input_tokens ?? partial.usage.inputTokens,
              outputTokens: usage.output_tokens,
              cacheReadTokens: usage.cache_read_input_tokens ?? partial.usage.cacheReadTokens,
              cacheWriteTokens: usage.cache_creation_input_tokens ?? partial.usage.cacheWriteTokens,
            };
            stopReason = fromAnthropicStopReason(event.delta.stop_reason);
            break;
          }
          case "message_stop":
            finished = true;
            break;
        }
      }
    } catch (error) {
      throw toModelCallError(LABEL, error, partial, signal);
    }
    // The SDK ends the iteration quietly when the request is aborted; a cut connection can end it too.
    if (!finished) throw incompleteStreamError(LABEL, partial, signal);

    const response: ModelResponse = {
      providerMessageId: partial.providerMessageId,
      content: toContent(blocks),
      stopReason,
      usage: partial.usage,
    };
    return response;
  }

  return { name: "anthropic", stream };
}
