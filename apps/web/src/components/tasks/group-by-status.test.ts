import { describe, expect, it } from "vitest";
import { groupTasksByStatus } from "./group-by-status";

const tasks = [
  { id: "a", status: "review" as const },
  { id: "b", status: "backlog" as const },
  { id: "c", status: "review" as const },
];

describe("groupTasksByStatus", () => {
  it("gives every status a column in flow order, keeping the tasks' order within each", () => {
    const columns = groupTasksByStatus(tasks);
    expect(columns.map((c) => c.status)).toEqual([
      "backlog",
      "pending",
      "in_progress",
      "testing",
      "review",
      "completed",
      "failed",
      "cancelled",
    ]);
    expect(columns.find((c) => c.status === "review")?.tasks.map((t) => t.id)).toEqual(["a", "c"]);
    expect(columns.find((c) => c.status === "pending")?.tasks).toEqual([]);
  });

  it("shows only the filtered status's column", () => {
    expect(groupTasksByStatus(tasks, "backlog")).toEqual([{ status: "backlog", tasks: [tasks[1]] }]);
  });
});
