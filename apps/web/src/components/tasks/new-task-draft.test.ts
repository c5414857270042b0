import { describe, expect, it } from "vitest";
import { checkDraft, draftField, emptyDraft, toCreateInput } from "./new-task-draft";

describe("toCreateInput", () => {
  it("sends a task outside any project with the defaults and without empty text", () => {
    expect(toCreateInput({ ...emptyDraft(""), title: "  Fix login  ", description: "   " })).toEqual({
      title: "Fix login",
      type: "feature",
      priority: "medium",
      complexity: "moderate",
    });
  });

  it("sends the project and the agent chosen in it", () => {
    expect(
      toCreateInput({
        ...emptyDraft("p1"),
        title: "Ship",
        description: " Why ",
        priority: "urgent",
        agentId: "a1",
      }),
    ).toMatchObject({
      title: "Ship",
      description: "Why",
      priority: "urgent",
      projectId: "p1",
      assignedToAgentId: "a1",
    });
  });

  it("drops an agent left over without a project", () => {
    expect(toCreateInput({ ...emptyDraft(""), title: "x", agentId: "a1" })).not.toHaveProperty(
      "assignedToAgentId",
    );
  });
});

describe("checkDraft", () => {
  it("passes a titled draft through the server's schema", () => {
    expect(checkDraft({ ...emptyDraft("p1"), title: " Ship " })).toMatchObject({
      ok: true,
      value: { title: "Ship", projectId: "p1" },
    });
  });

  it("names the title when it is blank, and places the error on its input", () => {
    const checked = checkDraft(emptyDraft(""));
    expect(!checked.ok && checked.errors.map((e) => e.field)).toEqual(["title"]);
    expect(draftField("title")).toBe("title");
    expect(draftField("assignedToAgentId")).toBe("agentId");
    expect(draftField("repositoryId")).toBeNull();
  });
});
