import { describe, expect, it } from "vitest";
import { hasRole } from "./project-roles";

describe("hasRole", () => {
  it("ranks owner above maintainer above viewer", () => {
    expect(hasRole("owner", "maintainer")).toBe(true);
    expect(hasRole("maintainer", "maintainer")).toBe(true);
    expect(hasRole("viewer", "maintainer")).toBe(false);
    expect(hasRole("maintainer", "owner")).toBe(false);
    expect(hasRole("viewer", "viewer")).toBe(true);
  });
});
