// The engine's provider-neutral request in the Messages API's terms.
import type Anthropic from "@anthropic-ai/sdk";
import type { ModelContentBlock, ModelMessage, ModelRequest, StopReason, ToolDefinition } from "./types";

type ImageMediaType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";

function toContentBlock(block: ModelContentBlock): Anthropic.ContentBlockParam {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "image":
      return {
        type: "image",
        source: { type: "base64", media_type: block.mediaType as ImageMediaType, data: block.data },
      };
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: block.input };
    case "tool_result":
      return {
        type: "tool_result",
        tool_use_id: block.toolUseId,
        content: block.content,
        ...(block.isError !== undefined && { is_error: block.isError }),
      };
  }
}

function toMessageParam(message: ModelMessage): Anthropic.MessageParam {
  return {
    role: message.role,
    content: typeof message.content === "string" ? message.content : message.content.map(toContentBlock),
  };
}

function toAnthropicTool(tool: ToolDefinition): Anthropic.ToolUnion {
  const client = tool.anthropicClientTool;
  // Client tools carry no description or schema: the model already knows them by type and fixed name.
  switch (client?.type) {
    case "text_editor_20250728":
      return {
        type: client.type,
        name: tool.name as "str_replace_based_edit_tool",
        ...(client.maxCharacters !== undefined && { max_characters: client.maxCharacters }),
      };
    case "bash_20250124":
      return { type: client.type, name: tool.name as "bash" };
    case undefined:
      return {
        name: tool.name,
        description: tool.description,
        input_schema: { type: "object", ...tool.inputSchema } as Anthropic.Tool.InputSchema,
      };
  }
}

export function toAnthropicParams(request: ModelRequest): Anthropic.MessageCreateParamsStreaming {
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    // No temperature: the API version this SDK speaks (anthropic-version 2026-10-21) rejects sampling
    // parameters on every model ("temperature: Extra inputs are not permitted"), and the SDK dropped them.
    messages: request.messages.map(toMessageParam),
    ...(request.system && { system: request.system }),
    ...(request.tools?.length && {
      tools: request.tools.map(toAnthropicTool),
    }),
    stream: true,
  };
}

export function fromAnthropicStopReason(reason: string | null | undefined): StopReason {
  switch (reason) {
    case "end_turn":
    case "max_tokens":
    case "tool_use":
    case "stop_sequence":
    case "refusal":
      return reason;
    // The context window ran out before max_tokens: the answer is cut short all the same.
    case "model_context_window_exceeded":
      return "max_tokens";
    default:
      return "other";
  }
}
