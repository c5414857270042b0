import { describe, expect, it } from "vitest";
import { plural, progressPercent, summariseProjects } from "./project-summary";

const project = (
  totalTasks: number,
  completedTasks: number,
  activeConversations: number,
  todayCostUsd: number,
) => ({
  stats: { totalTasks, completedTasks, activeConversations, todayCostUsd },
});

describe("summariseProjects", () => {
  it("adds up open tasks, live chats and today's spend", () => {
    expect(summariseProjects([project(10, 4, 2, 0.5), project(3, 3, 0, 0.25)])).toEqual({
      projects: 2,
      openTasks: 6,
      activeConversations: 2,
      todayCostUsd: 0.75,
    });
  });

  it("is all zeros without projects", () => {
    expect(summariseProjects([])).toEqual({
      projects: 0,
      openTasks: 0,
      activeConversations: 0,
      todayCostUsd: 0,
    });
  });
});

describe("progressPercent", () => {
  it("rounds and keeps within 0–100", () => {
    expect(progressPercent(33.4)).toBe(33);
    expect(progressPercent(140)).toBe(100);
    expect(progressPercent(-3)).toBe(0);
    expect(progressPercent(Number.NaN)).toBe(0);
  });
});

describe("plural", () => {
  it("says one or many", () => {
    expect(plural(1, "task")).toBe("1 task");
    expect(plural(0, "task")).toBe("0 tasks");
    expect(plural(2, "reply", "replies")).toBe("2 replies");
  });
});
