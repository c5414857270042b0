import { describe, expect, it } from "vitest";
import { canComplete, statusChoices, TASK_STATUSES } from "./task-options";

describe("task statuses", () => {
  it("lists the board columns in the order work flows", () => {
    expect(TASK_STATUSES).toEqual([
      "backlog",
      "pending",
      "in_progress",
      "testing",
      "review",
      "completed",
      "failed",
      "cancelled",
    ]);
  });

  it("offers the current status first, then only the allowed moves in board order", () => {
    expect(statusChoices("backlog")).toEqual(["backlog", "pending", "cancelled"]);
    expect(statusChoices("review")).toEqual([
      "review",
      "in_progress",
      "testing",
      "completed",
      "failed",
      "cancelled",
    ]);
    expect(statusChoices("completed")).toEqual(["completed", "backlog"]);
  });

  it("does not offer completing a task that is completed or cancelled", () => {
    expect(canComplete("review")).toBe(true);
    expect(canComplete("failed")).toBe(true);
    expect(canComplete("completed")).toBe(false);
    expect(canComplete("cancelled")).toBe(false);
  });
});
