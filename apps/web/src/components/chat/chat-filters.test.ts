import { describe, expect, it } from "vitest";
import {
  CHATS_PER_PAGE,
  hasChatFilters,
  readChatFilters,
  toChatListInput,
  writeChatFilters,
} from "./chat-filters";

const read = (query: string) => readChatFilters(new URLSearchParams(query));

describe("readChatFilters", () => {
  it("reads a project's chats from the address a project page links to", () => {
    expect(read("projectId=p1")).toEqual({ projectId: "p1", status: null, page: 1 });
    expect(read("projectId=unassigned&status=paused&page=3")).toEqual({
      projectId: "unassigned",
      status: "paused",
      page: 3,
    });
  });

  it("ignores what it does not understand", () => {
    expect(read("projectId=&status=archived&page=-2")).toEqual({ projectId: null, status: null, page: 1 });
    expect(read("page=1.5").page).toBe(1);
  });
});

describe("writeChatFilters", () => {
  it("leaves defaults out and round-trips", () => {
    expect(writeChatFilters({ projectId: null, status: null, page: 1 }).toString()).toBe("");
    const filters = { projectId: "p1", status: "completed" as const, page: 2 };
    expect(readChatFilters(writeChatFilters(filters))).toEqual(filters);
  });
});

describe("toChatListInput", () => {
  it("sends only the filters that are set", () => {
    expect(toChatListInput({ projectId: null, status: null, page: 1 })).toEqual({
      page: 1,
      limit: CHATS_PER_PAGE,
    });
    expect(toChatListInput({ projectId: "unassigned", status: "active", page: 2 })).toEqual({
      page: 2,
      limit: CHATS_PER_PAGE,
      projectId: "unassigned",
      status: "active",
    });
  });

  it("knows when the list is filtered", () => {
    expect(hasChatFilters({ projectId: null, status: null, page: 4 })).toBe(false);
    expect(hasChatFilters({ projectId: null, status: "paused", page: 1 })).toBe(true);
  });
});
