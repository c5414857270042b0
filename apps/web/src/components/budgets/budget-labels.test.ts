import { describe, expect, it } from "vitest";
import { formatPercent, scopeLabel, thresholdPercent } from "./budget-labels";

describe("scopeLabel", () => {
  it("names the scope's kind and the scope itself", () => {
    expect(scopeLabel({ scopeType: "project", scopeName: "Website" })).toBe("Project · Website");
    expect(scopeLabel({ scopeType: "agent", scopeName: "Reviewer" })).toBe("Agent · Reviewer");
    expect(scopeLabel({ scopeType: "user", scopeName: "Ada" })).toBe("User · Ada");
  });

  it("says a global limit covers everyone", () => {
    expect(scopeLabel({ scopeType: "global", scopeName: "Global" })).toBe("Global (everyone)");
  });
});

describe("formatPercent", () => {
  it("rounds to whole percent, keeping a decimal for small figures", () => {
    expect(formatPercent(81.04)).toBe("81%");
    expect(formatPercent(102.5)).toBe("103%");
    expect(formatPercent(0.44)).toBe("0.4%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(Number.NaN)).toBe("—");
  });
});

describe("thresholdPercent", () => {
  it("turns the stored fraction into the percentage people set", () => {
    expect(thresholdPercent(0.8)).toBe(80);
    expect(thresholdPercent(0.755)).toBe(75.5);
  });
});
