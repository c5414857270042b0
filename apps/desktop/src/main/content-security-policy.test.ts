import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "./content-security-policy";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe("contentSecurityPolicy", () => {
  it("lets the renderer fetch from the configured server and nowhere else", () => {
    const policy = directives(contentSecurityPolicy({ serverOrigin: "https://crewdeck.example.com" }));
    expect(policy.get("connect-src")).toEqual(["https://crewdeck.example.com"]);
    expect(policy.get("default-src")).toEqual(["'none'"]);
  });

  it("reduces a server URL with a path to its origin", () => {
    const policy = directives(contentSecurityPolicy({ serverOrigin: "http://localhost:3001/crewdeck" }));
    expect(policy.get("connect-src")).toEqual(["http://localhost:3001"]);
  });

  it("allows no inline or remote code in a build", () => {
    const policy = directives(contentSecurityPolicy({ serverOrigin: "http://localhost:3001" }));
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("style-src")).toEqual(["'self'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
  });

  it("relaxes only what Vite's dev server needs in development", () => {
    const policy = directives(contentSecurityPolicy({ serverOrigin: "http://localhost:3001", dev: true }));
    expect(policy.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get("connect-src")).toEqual(["'self'", "http://localhost:3001"]);
    expect(policy.get("default-src")).toEqual(["'none'"]);
  });
});
