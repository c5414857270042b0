import { describe, expect, it } from "vitest";
import { emptyDraft, toCreateInput } from "./new-task-draft";

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
