// The model catalog a fresh install starts with: Anthropic's published list prices (USD per million tokens).
import { type Database, schema, usdToMicros } from "@crewdeck/db";

type CatalogEntry = {
  id: string;
  displayName: string;
  input: number;
  output: number;
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: string[];
};

const VISION_TOOLS: string[] = ["vision", "tools", "streaming", "prompt-caching"];
const REASONING = [...VISION_TOOLS, "extended-thinking"];

export const CLAUDE_MODELS: CatalogEntry[] = [
  {
    id: "claude-opus-4-6",
    displayName: "Claude Opus 4.6",
    input: 5,
    output: 25,
    contextWindow: 200_000,
    maxOutputTokens: 128_000,
    capabilities: REASONING,
  },
  {
    id: "claude-sonnet-4-6",
    displayName: "Claude Sonnet 4.6",
    input: 3,
    output: 15,
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: REASONING,
  },
  {
    id: "claude-opus-4-5",
    displayName: "Claude Opus 4.5",
    input: 5,
    output: 25,
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: REASONING,
  },
  {
    id: "claude-opus-4-1",
    displayName: "Claude Opus 4.1",
    input: 15,
    output: 75,
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    capabilities: REASONING,
  },
  {
    // Retiring on 2026-11-30 (the SDK warns on every call); kept so existing agents go on working until then.
    id: "claude-sonnet-4-5",
    displayName: "Claude Sonnet 4.5",
    input: 3,
    output: 15,
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: REASONING,
  },
  {
    id: "claude-sonnet-4-0",
    displayName: "Claude Sonnet 4",
    input: 3,
    output: 15,
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: REASONING,
  },
  {
    id: "claude-haiku-4-5",
    displayName: "Claude Haiku 4.5",
    input: 1,
    output: 5,
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    capabilities: REASONING,
  },
];

/** Inserts the catalog's models that are missing; never overwrites an entry an admin edited. */
export async function seedModelCatalog(db: Database): Promise<void> {
  await db
    .insert(schema.models)
    .values(
      CLAUDE_MODELS.map((m) => ({
        id: m.id,
        provider: "anthropic",
        name: m.id,
        displayName: m.displayName,
        inputCostPerMTok: usdToMicros(m.input),
        outputCostPerMTok: usdToMicros(m.output),
        // Anthropic bills cache reads at 10% and 5-minute cache writes at 125% of the input price.
        cacheReadCostPerMTok: usdToMicros(m.input * 0.1),
        cacheWriteCostPerMTok: usdToMicros(m.input * 1.25),
        contextWindow: m.contextWindow,
        maxOutputTokens: m.maxOutputTokens,
        capabilities: m.capabilities,
      })),
    )
    .onConflictDoNothing();
}
