// A provider-independent token estimate for fitting prompts into a context window without a tokenizer.
import type { ModelContentBlock, ModelMessage } from "../providers/types";

/**
 * English prose runs at ~4 characters per token and code or JSON nearer 3, so ASCII is counted at 3.5
 * characters per token; other scripts (CJK, emoji, accented text) often take a token per character, so each
 * non-ASCII character counts as one. It errs high on purpose: over-counting only trims a little more history,
 * under-counting makes the provider reject the request.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 3.5) + other;
}

/** Role markers and separators the provider adds around each message. */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/**
 * Anthropic bills an image at about width × height / 750 tokens and scales large ones down to ~1.15
 * megapixels (~1,600 tokens); without decoding the image, count the maximum.
 */
export const IMAGE_TOKENS = 1_600;

export function estimateBlockTokens(block: ModelContentBlock): number {
  switch (block.type) {
    case "text":
      return estimateTokens(block.text);
    case "image":
      return IMAGE_TOKENS;
    case "tool_use":
      return estimateTokens(block.name) + estimateTokens(JSON.stringify(block.input ?? null));
    case "tool_result":
      return estimateTokens(block.content);
  }
}

export function estimateMessageTokens(message: ModelMessage): number {
  const content =
    typeof message.content === "string"
      ? estimateTokens(message.content)
      : message.content.reduce((sum, block) => sum + estimateBlockTokens(block), 0);
  return content + MESSAGE_OVERHEAD_TOKENS;
}

/** The whole prompt: system text plus every message. */
export function estimatePromptTokens(prompt: { system: string; messages: readonly ModelMessage[] }): number {
  return prompt.messages.reduce((sum, m) => sum + estimateMessageTokens(m), estimateTokens(prompt.system));
}
