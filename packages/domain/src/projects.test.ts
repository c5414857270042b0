import { describe, expect, it } from "vitest";
import { MEMBER_ROLES, roleAtLeast } from "./projects";

describe("roleAtLeast", () => {
  it("ranks owner above maintainer above viewer", () => {
    expect(roleAtLeast("owner", "maintainer")).toBe(true);
    expect(roleAtLeast("maintainer", "maintainer")).toBe(true);
    expect(roleAtLeast("viewer", "maintainer")).toBe(false);
    expect(roleAtLeast("maintainer", "owner")).toBe(false);
  });

  it("lists roles highest first, so each role can do what every later one can", () => {
    MEMBER_ROLES.forEach((role, i) => {
      for (const lower of MEMBER_ROLES.slice(i)) expect(roleAtLeast(role, lower)).toBe(true);
    });
  });
});
