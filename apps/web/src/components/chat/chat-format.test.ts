import { describe, expect, it } from "vitest";
import { describeUsage, formatMessageTime, humanRole, postErrorHint } from "./chat-format";

describe("humanRole", () => {
  it("turns a role id into words", () => {
    expect(humanRole("product-manager")).toBe("Product manager");
    expect(humanRole("architect")).toBe("Architect");
  });
});

describe("formatMessageTime", () => {
  const now = new Date(2026, 1, 12, 15, 0);
  it("shows only the time for today's messages", () => {
    expect(formatMessageTime(new Date(2026, 1, 12, 9, 5).toISOString(), now, "en-GB")).toBe("09:05");
  });
  it("adds the date for earlier days, and the year for earlier years", () => {
    expect(formatMessageTime(new Date(2026, 1, 11, 9, 5).toISOString(), now, "en-GB")).toBe("11 Feb, 09:05");
    expect(formatMessageTime(new Date(2025, 11, 31, 9, 5).toISOString(), now, "en-GB")).toBe(
      "31 Dec 2025, 09:05",
    );
  });
});

describe("describeUsage", () => {
  it("sums up tokens, cost and model of a reply", () => {
    expect(describeUsage({ tokensIn: 1200, tokensOut: 350, costUsd: 0.0042, model: "claude-sonnet" })).toBe(
      "1,200 → 350 tokens · $0.0042 · claude-sonnet",
    );
  });
  it("says nothing for a reply that used nothing (a person's message, a failed call)", () => {
    expect(describeUsage({ tokensIn: 0, tokensOut: 0, costUsd: 0, model: null })).toBeNull();
  });
});

describe("postErrorHint", () => {
  it("points budget and provider refusals to where they are fixed", () => {
    expect(postErrorHint("BUDGET_EXCEEDED")?.to).toBe("/budgets");
    expect(postErrorHint("MODEL_PROVIDER_ERROR")?.to).toBe("/admin");
    expect(postErrorHint("VALIDATION_ERROR")).toBeNull();
    expect(postErrorHint(null)).toBeNull();
  });
});
