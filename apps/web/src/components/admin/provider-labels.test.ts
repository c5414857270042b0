import { describe, expect, it } from "vitest";
import { type ProviderDescription, providerChange } from "./provider-labels";

const current: ProviderDescription = {
  provider: "openai",
  configured: true,
  source: "admin",
  baseUrl: "http://localhost:11434/v1",
  keyHint: "…abcd",
  issue: null,
};

describe("providerChange", () => {
  it("keeps the stored key when the key field is left empty, and sends only what changed", () => {
    expect(providerChange({ apiKey: "  ", baseUrl: "http://localhost:11434/v1" }, current)).toEqual({
      provider: "openai",
    });
  });

  it("sends a typed key trimmed, and a new base URL", () => {
    expect(providerChange({ apiKey: " sk-new ", baseUrl: "https://openrouter.ai/api/v1" }, current)).toEqual({
      provider: "openai",
      apiKey: "sk-new",
      baseUrl: "https://openrouter.ai/api/v1",
    });
  });

  it("forgets the base URL when it is emptied", () => {
    expect(providerChange({ apiKey: "", baseUrl: "" }, current)).toEqual({
      provider: "openai",
      baseUrl: null,
    });
  });
});
