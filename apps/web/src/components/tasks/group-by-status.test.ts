import { describe, expect, it } from "vitest";
import { groupTasksByStatus } from "./group-by-status";
import { TASK_STATUSES } from "./task-options";

const tasks = [
  { id: "a", status: "review" as const },
  { id: "b", status: "backlog" as const },
  { id: "c", status: "review" as const },
];

describe("groupTasksByStatus", () => {
  it("gives every status a column in flow order, keeping the tasks' order within each", () => {
    const columns = groupTasksByStatus(tasks);
    // The flow order itself is pinned once, in task-options.test.ts.
    expect(columns.map((c) => c.status)).toEqual([...TASK_STATUSES]);
    expect(columns.find((c) => c.status === "review")?.tasks.map((t) => t.id)).toEqual(["a", "c"]);
    expect(columns.find((c) => c.status === "pending")?.tasks).toEqual([]);
  });

  it("shows only the filtered status's column", () => {
    expect(groupTasksByStatus(tasks, "backlog")).toEqual([{ status: "backlog", tasks: [tasks[1]] }]);
  });
});
