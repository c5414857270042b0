// The engine's provider-neutral request in Chat Completions terms, which every OpenAI-compatible server
// (OpenAI, Ollama, vLLM, OpenRouter) understands.
import type OpenAI from "openai";
import type { ModelContentBlock, ModelMessage, ModelRequest, StopReason } from "./types";

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type UserPart = OpenAI.Chat.Completions.ChatCompletionContentPart;

/** OpenAI's own API wants `max_completion_tokens` (reasoning models reject `max_tokens`); other servers mostly know only `max_tokens`. */
export type MaxTokensField = "max_tokens" | "max_completion_tokens";

const textOf = (blocks: ModelContentBlock[]) =>
  blocks
    .filter((b): b is Extract<ModelContentBlock, { type: "text" }> => b.type === "text")
    .map((b) => b.text)
    .join("");

function toUserMessages(content: ModelContentBlock[]): ChatMessage[] {
  // Tool results become `role: "tool"` messages, which must directly follow the assistant's tool calls.
  const messages: ChatMessage[] = [];
  const parts: UserPart[] = [];
  for (const block of content) {
    if (block.type === "tool_result") {
      messages.push({
        role: "tool",
        tool_call_id: block.toolUseId,
        content: block.isError ? `Error: ${block.content}` : block.content,
      });
    } else if (block.type === "text") {
      parts.push({ type: "text", text: block.text });
    } else if (block.type === "image") {
      parts.push({ type: "image_url", image_url: { url: `data:${block.mediaType};base64,${block.data}` } });
    }
  }
  if (parts.length > 0) messages.push({ role: "user", content: parts });
  return messages;
}

function toAssistantMessage(content: ModelContentBlock[]): ChatMessage {
  const toolCalls = content
    .filter((b): b is Extract<ModelContentBlock, { type: "tool_use" }> => b.type === "tool_use")
    .map((b) => ({
      id: b.id,
      type: "function" as const,
      function: { name: b.name, arguments: JSON.stringify(b.input ?? {}) },
    }));
  const text = textOf(content);
  return {
    role: "assistant",
    content: text || null,
    ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
  };
}

function toChatMessages(message: ModelMessage): ChatMessage[] {
  if (typeof message.content === "string") return [{ role: message.role, content: message.content }];
  return message.role === "user" ? toUserMessages(message.content) : [toAssistantMessage(message.content)];
}

export function toOpenAiParams(
  request: ModelRequest,
  maxTokensField: MaxTokensField,
): OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming {
  return {
    model: request.model,
    messages: [
      ...(request.system ? [{ role: "system" as const, content: request.system }] : []),
      ...request.messages.flatMap(toChatMessages),
    ],
    temperature: request.temperature,
    [maxTokensField]: request.maxTokens,
    ...(request.tools?.length && {
      tools: request.tools.map((tool) => ({
        type: "function" as const,
        function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
      })),
    }),
    stream: true,
    stream_options: { include_usage: true },
  };
}

export function fromOpenAiFinishReason(reason: string | null | undefined): StopReason {
  switch (reason) {
    case "stop":
      return "end_turn";
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "other";
  }
}
