import { describe, expect, it } from "vitest";
import { approveHint, checksBadge, describeSync } from "./github-view";

describe("pull request view", () => {
  it("names the checks in words", () => {
    expect(checksBadge("failure")).toEqual({ label: "Checks failed", tone: "danger" });
    expect(checksBadge("success").tone).toBe("ok");
    expect(checksBadge(null).label).toBe("Checks unknown");
  });

  it("says why approving would be refused, or nothing when it looks mergeable", () => {
    expect(approveHint({ state: "open", checksStatus: "failure", mergeable: true })).toMatch(/Checks failed/);
    expect(approveHint({ state: "open", checksStatus: "success", mergeable: false })).toMatch(/conflicts/);
    expect(approveHint({ state: "merged", checksStatus: "success", mergeable: null })).toMatch(/merged/);
    expect(approveHint({ state: "open", checksStatus: "success", mergeable: true })).toBeNull();
  });

  it("describes a sync", () => {
    expect(
      describeSync({
        issues: { synced: 3, added: 1, updated: 0 },
        pullRequests: { synced: 1, added: 0, updated: 1 },
      }),
    ).toBe("Synced 3 issues (1 new, 0 updated) and 1 pull request (0 new, 1 updated).");
  });
});
