import { describe, expect, it } from "vitest";
import { accessChoices, describeScopes, scopesFor } from "./api-key-access";

describe("API key access levels", () => {
  it("maps each level to the scopes the API takes, and back", () => {
    expect(scopesFor("read-write")).toEqual(["read", "write"]);
    expect(scopesFor("read")).toEqual(["read"]);
    expect(scopesFor("admin")).toEqual(["read", "write", "admin"]);
    expect(describeScopes(["read"])).toBe("Read only");
    expect(describeScopes(["read", "write"])).toBe("Read and write");
    expect(describeScopes(["read", "write", "admin"])).toBe("Read, write and administer");
    expect(describeScopes(["read", "admin"])).toBe("Read and administer");
  });

  it("offers the admin level to administrators only", () => {
    expect(accessChoices(false)).toEqual(["read-write", "read"]);
    expect(accessChoices(true)).toContain("admin");
  });
});
