import { describe, expect, it } from "vitest";
import { callbackOutcome, reasonText, syncSummary } from "./github-labels";

describe("GitHub outcomes in words", () => {
  it("reads the callback's result from the address", () => {
    expect(callbackOutcome(new URLSearchParams("github=connected"), "")).toEqual({ kind: "connected" });
    expect(callbackOutcome(new URLSearchParams("github=error&reason=access_denied"), "")).toEqual({
      kind: "error",
      message: reasonText("access_denied"),
    });
    expect(callbackOutcome(new URLSearchParams("github=finish"), "#code=c1&state=s1")).toEqual({
      kind: "finish",
      code: "c1",
      state: "s1",
    });
    expect(callbackOutcome(new URLSearchParams("github=finish"), "")).toMatchObject({ kind: "error" });
    expect(callbackOutcome(new URLSearchParams("tab=github"), "")).toBeNull();
  });

  it("explains every reason, and an unknown one generically", () => {
    expect(reasonText("not_configured")).toMatch(/GITHUB_CLIENT_ID/);
    expect(reasonText("something_new")).toBe(reasonText("api_error"));
  });

  it("summarises a sync", () => {
    expect(syncSummary({ synced: 3, added: 3, updated: 0, removed: 0 })).toBe(
      "3 repositories synced (3 new)",
    );
    expect(syncSummary({ synced: 1, added: 0, updated: 0, removed: 0 })).toBe(
      "1 repository synced, nothing changed",
    );
  });
});
