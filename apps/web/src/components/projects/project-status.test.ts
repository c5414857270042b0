import { describe, expect, it } from "vitest";
import { PROJECT_STATUSES, projectStatusLabel, projectStatusTone } from "./project-status";

describe("project status", () => {
  it("reads every status as words", () => {
    expect(PROJECT_STATUSES.map(projectStatusLabel)).toEqual([
      "Planning",
      "In progress",
      "In review",
      "Completed",
      "On hold",
    ]);
  });

  it("marks work that waits as a warning", () => {
    expect(projectStatusTone("on-hold")).toBe("warn");
    expect(projectStatusTone("completed")).toBe("ok");
  });
});
