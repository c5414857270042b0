import { describe, expect, it } from "vitest";
import {
  checkNewChat,
  emptyNewChatDraft,
  newChatErrorField,
  toCreateChatInput,
  withAgent,
  withProject,
} from "./new-chat-draft";

describe("toCreateChatInput", () => {
  it("makes an unassigned chat with only a title", () => {
    expect(toCreateChatInput({ ...emptyNewChatDraft(""), title: "  Ideas  ", firstMessage: "  \n" })).toEqual(
      {
        title: "Ideas",
      },
    );
  });

  it("carries the project, its agents and the first message as typed", () => {
    const draft = {
      title: "Login bug",
      projectId: "p1",
      agentIds: ["a2", "a1"],
      firstMessage: "Look at\n  this",
    };
    expect(toCreateChatInput(draft)).toEqual({
      title: "Login bug",
      projectId: "p1",
      agentIds: ["a2", "a1"],
      initialMessage: "Look at\n  this",
    });
  });

  it("sends no agents without a project", () => {
    expect(toCreateChatInput({ ...emptyNewChatDraft(""), title: "x", agentIds: ["a1"] })).toEqual({
      title: "x",
    });
  });
});

describe("editing the draft", () => {
  it("forgets the agents when the project changes", () => {
    const draft = withAgent(emptyNewChatDraft("p1"), "a1", true);
    expect(withProject(draft, "p1")).toBe(draft);
    expect(withProject(draft, "p2")).toMatchObject({ projectId: "p2", agentIds: [] });
  });

  it("adds and removes agents in picking order, each once", () => {
    let draft = emptyNewChatDraft("p1");
    draft = withAgent(draft, "a2", true);
    draft = withAgent(draft, "a1", true);
    draft = withAgent(draft, "a2", true);
    expect(draft.agentIds).toEqual(["a1", "a2"]);
    expect(withAgent(draft, "a1", false).agentIds).toEqual(["a2"]);
  });
});

describe("newChatErrorField", () => {
  it("places the server's field errors next to their inputs", () => {
    expect(newChatErrorField("title")).toBe("title");
    expect(newChatErrorField("initialMessage")).toBe("firstMessage");
    expect(newChatErrorField("agentIds.1")).toBe("agentIds");
    expect(newChatErrorField("taskId")).toBeNull();
  });
});

describe("checkNewChat", () => {
  it("accepts a titled draft as the server would", () => {
    expect(checkNewChat({ ...emptyNewChatDraft("p1"), title: " Ideas " })).toEqual({
      ok: true,
      value: { title: "Ideas", projectId: "p1" },
    });
  });

  it("refuses a blank title, named so the form shows it under the title", () => {
    const checked = checkNewChat(emptyNewChatDraft(""));
    expect(!checked.ok && checked.errors.map((e) => newChatErrorField(e.field))).toEqual(["title"]);
  });
});
