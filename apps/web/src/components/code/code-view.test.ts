import { describe, expect, it } from "vitest";
import {
  type AgentAction,
  appendAction,
  changeSummary,
  describeAction,
  describeRun,
  fileStatus,
  fileTitle,
  noPatchReason,
  openByDefault,
  unifiedDiff,
} from "./code-view";

const file = {
  path: "src/a.ts",
  status: "modified",
  additions: 1,
  deletions: 1,
  patch: "@@ -1 +1 @@\n-a\n+b",
};

describe("changes", () => {
  it("puts the file headers back on GitHub's hunks", () => {
    expect(unifiedDiff(file)).toBe("--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-a\n+b\n");
    expect(unifiedDiff({ ...file, status: "added" })).toMatch(/^--- \/dev\/null\n\+\+\+ b\/src\/a.ts/);
    expect(unifiedDiff({ ...file, status: "removed" })).toMatch(/^--- a\/src\/a.ts\n\+\+\+ \/dev\/null/);
    expect(unifiedDiff({ ...file, status: "renamed", oldPath: "src/old.ts" })).toMatch(
      /^--- a\/src\/old.ts\n\+\+\+ b\/src\/a.ts/,
    );
    expect(unifiedDiff({ ...file, patch: undefined })).toBeNull();
  });

  it("names files, statuses and totals in words", () => {
    expect(fileTitle({ ...file, oldPath: "src/old.ts" })).toBe("src/old.ts → src/a.ts");
    expect(fileTitle(file)).toBe("src/a.ts");
    expect(fileStatus("removed")).toEqual({ label: "deleted", tone: "danger" });
    expect(fileStatus("changed").label).toBe("modified");
    expect(changeSummary({ files: 1, additions: 3, deletions: 0 })).toBe("1 file changed, +3 −0");
    expect(changeSummary({ files: 2, additions: 3, deletions: 1 })).toBe("2 files changed, +3 −1");
    expect(noPatchReason({ ...file, status: "renamed", additions: 0, deletions: 0 })).toBe(
      "Renamed without changes.",
    );
    expect(noPatchReason({ ...file, status: "added" })).toMatch(/binary/);
  });

  it("opens a few files and folds the rest of a large change", () => {
    expect(openByDefault(4, 3)).toBe(true);
    expect(openByDefault(20, 2)).toBe(true);
    expect(openByDefault(20, 3)).toBe(false);
  });
});

describe("run history", () => {
  const run = { id: "r", status: "completed", isRevision: false, result: null, error: null, reason: null };
  it("says how each run ended and marks the newest as current", () => {
    expect(describeRun({ ...run, result: { type: "pull_request", pullRequestUrl: "u" } }, 0)).toEqual({
      kind: "Run",
      outcome: "opened or updated a pull request",
      isCurrent: true,
    });
    expect(describeRun({ ...run, status: "cancelled", reason: "Cancelled by a person" }, 1)).toEqual({
      kind: "Run",
      outcome: "Cancelled by a person",
      isCurrent: false,
    });
    expect(describeRun({ ...run, isRevision: true, status: "failed", error: "boom" }, 0).kind).toBe(
      "Revision",
    );
    expect(describeRun({ ...run, status: "failed", error: "boom" }, 0).outcome).toBe("boom");
    expect(describeRun({ ...run, status: "running" }, 0).outcome).toBe("under way");
  });
});

describe("activity", () => {
  const action = (id: string, extra: Partial<AgentAction> = {}): AgentAction => ({
    id,
    agentId: "a",
    type: "tool_call",
    tool: "bash",
    content: JSON.stringify({ command: "npm test" }),
    ...extra,
  });

  it("keeps each event once, newest last, up to the limit", () => {
    let list: AgentAction[] = [];
    list = appendAction(list, action("1"));
    list = appendAction(list, action("1"));
    list = appendAction(list, action("2"));
    expect(list.map((a) => a.id)).toEqual(["1", "2"]);
    expect(appendAction(list, action("3"), 2).map((a) => a.id)).toEqual(["2", "3"]);
  });

  it("describes what the agent did", () => {
    expect(describeAction(action("1"))).toEqual({ label: "ran npm test", detail: null });
    expect(
      describeAction(
        action("2", {
          tool: "str_replace_based_edit_tool",
          content: JSON.stringify({ command: "str_replace", path: "shop/a.js", old_str: "x", new_str: "y" }),
        }),
      ),
    ).toEqual({ label: "edited shop/a.js", detail: null });
    expect(
      describeAction(
        action("3", { tool: "str_replace_based_edit_tool", content: '{"command":"view","path":"p"}' }),
      ).label,
    ).toBe("read p");
    expect(describeAction(action("4", { type: "tool_result", content: "1 test passed" }))).toEqual({
      label: "bash answered",
      detail: "1 test passed",
    });
    expect(describeAction(action("5", { tool: "git_diff", content: "{}" }))).toEqual({
      label: "called git_diff",
      detail: "{}",
    });
    expect(describeAction(action("6", { tool: "bash", content: "not json" })).label).toBe("called bash");
  });
});
