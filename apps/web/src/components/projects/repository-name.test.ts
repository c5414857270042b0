import { describe, expect, it } from "vitest";
import { parseRepositoryName } from "./repository-name";

describe("parseRepositoryName", () => {
  it("reads owner/name", () => {
    expect(parseRepositoryName(" acme/web-app ")).toEqual({
      ok: true,
      name: "web-app",
      fullName: "acme/web-app",
    });
  });

  it("reads a pasted GitHub address", () => {
    expect(parseRepositoryName("https://github.com/acme/api.js/")).toEqual({
      ok: true,
      name: "api.js",
      fullName: "acme/api.js",
    });
    expect(parseRepositoryName("git@github.com:acme/api.git")).toMatchObject({
      ok: true,
      fullName: "acme/api",
    });
  });

  it("refuses anything else with a reason", () => {
    expect(parseRepositoryName("")).toMatchObject({ ok: false });
    expect(parseRepositoryName("web-app")).toMatchObject({
      ok: false,
      message: expect.stringContaining("owner/name"),
    });
    expect(parseRepositoryName("acme/web/app")).toMatchObject({ ok: false });
    expect(parseRepositoryName("acme/we b")).toMatchObject({ ok: false });
  });
});
