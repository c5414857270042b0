import { describe, expect, it } from "vitest";
import { agentLabel, agentRoleSuffix } from "./agent-label";

describe("agentLabel", () => {
  it("adds the role to a named agent", () => {
    expect(agentLabel({ name: "Aria", role: "architect" })).toBe("Aria (Architect)");
    expect(agentRoleSuffix({ name: "Aria", role: "qa-engineer" })).toBe("QA engineer");
  });

  it("does not repeat a role the name already says, whatever its case", () => {
    expect(agentLabel({ name: "QA Engineer", role: "qa-engineer" })).toBe("QA Engineer");
    expect(agentRoleSuffix({ name: "Product Manager ", role: "product-manager" })).toBeNull();
  });
});
