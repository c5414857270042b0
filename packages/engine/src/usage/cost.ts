// What a model call costs, from the catalog's prices (micro-dollars per million tokens).
import type { schema } from "@crewdeck/db";
import type { ModelRequest, ModelUsage } from "../providers/types";

type ModelPrices = Pick<
  typeof schema.models.$inferSelect,
  "inputCostPerMTok" | "outputCostPerMTok" | "cacheReadCostPerMTok" | "cacheWriteCostPerMTok"
>;

/** Cost in micro-dollars, rounded up so many small calls never add up to less than they cost. */
export function costMicros(prices: ModelPrices, usage: ModelUsage): number {
  const perMillion =
    usage.inputTokens * prices.inputCostPerMTok +
    usage.outputTokens * prices.outputCostPerMTok +
    usage.cacheReadTokens * (prices.cacheReadCostPerMTok ?? prices.inputCostPerMTok) +
    usage.cacheWriteTokens * (prices.cacheWriteCostPerMTok ?? prices.inputCostPerMTok);
  return Math.ceil(perMillion / 1_000_000);
}

/** Images are billed by size; Anthropic's largest (1568 px on the long side) is about 1,600 tokens. */
const TOKENS_PER_IMAGE = 1_600;

/**
 * An upper estimate of a request's input tokens: about three characters per token (real text averages
 * nearer four), plus the images and the tool schemas. Budgets reserve against it, so it errs high.
 */
export function estimateInputTokens(request: ModelRequest): number {
  let chars = request.system.length;
  let images = 0;
  for (const message of request.messages) {
    if (typeof message.content === "string") {
      chars += message.content.length;
      continue;
    }
    for (const block of message.content) {
      if (block.type === "text") chars += block.text.length;
      else if (block.type === "image") images += 1;
      else if (block.type === "tool_use") chars += JSON.stringify(block.input ?? null).length;
      else chars += block.content.length;
    }
  }
  for (const tool of request.tools ?? []) chars += JSON.stringify(tool).length;
  return Math.ceil(chars / 3) + images * TOKENS_PER_IMAGE + 16 * request.messages.length;
}

/** The most a request can cost: its estimated input and every output token it may produce. */
export const worstCaseCostMicros = (prices: ModelPrices, request: ModelRequest): number =>
  costMicros(prices, {
    inputTokens: estimateInputTokens(request),
    outputTokens: request.maxTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  });
