import { describe, expect, it } from "vitest";
import { roleLabel } from "./agent-roles";

describe("roleLabel", () => {
  it("names the catalog's roles", () => {
    expect(roleLabel("qa-engineer")).toBe("QA engineer");
    expect(roleLabel("senior-developer")).toBe("Senior developer");
  });

  it("reads an unknown role as words", () => {
    expect(roleLabel("data-scientist")).toBe("Data scientist");
  });
});
