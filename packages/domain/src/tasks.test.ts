import { describe, expect, it } from "vitest";
import { finalStatuses, movesInto } from "./moves";
import { canMoveTask, TASK_MOVES, TASK_STATUSES, taskMovesFrom } from "./tasks";

describe("a person moving a task", () => {
  it("cannot start work from the backlog or retry a failed task straight into work", () => {
    expect(canMoveTask("person", "backlog", "in_progress")).toBe(false);
    expect(canMoveTask("person", "failed", "in_progress")).toBe(false);
  });

  it("walks work forward one stage, or back one, and a rejected review goes back to in_progress", () => {
    expect(canMoveTask("person", "backlog", "pending")).toBe(true);
    expect(canMoveTask("person", "pending", "in_progress")).toBe(true);
    expect(canMoveTask("person", "in_progress", "testing")).toBe(true);
    expect(canMoveTask("person", "testing", "review")).toBe(true);
    expect(canMoveTask("person", "review", "completed")).toBe(true);
    expect(canMoveTask("person", "testing", "in_progress")).toBe(true);
    expect(canMoveTask("person", "review", "in_progress")).toBe(true);
    expect(canMoveTask("person", "pending", "review")).toBe(false);
  });

  it("may only reopen a completed task to the backlog", () => {
    expect(taskMovesFrom("person", "completed")).toEqual(["backlog"]);
  });

  it("may cancel any unfinished task, but nothing fails in the backlog", () => {
    for (const from of ["backlog", "pending", "in_progress", "testing", "review"] as const) {
      expect(canMoveTask("person", from, "cancelled")).toBe(true);
    }
    expect(canMoveTask("person", "backlog", "failed")).toBe(false);
  });

  it("may always leave a task where it is", () => {
    for (const status of TASK_STATUSES) expect(canMoveTask("person", status, status)).toBe(true);
  });
});

describe("the engine moving a task", () => {
  it("starts a run from any status but completed", () => {
    for (const from of ["backlog", "pending", "testing", "review", "failed", "cancelled"] as const) {
      expect(canMoveTask("engine", from, "in_progress")).toBe(true);
    }
    expect(canMoveTask("engine", "completed", "in_progress")).toBe(false);
  });

  it("ends a run in review, failed or cancelled from wherever the task stands, except completed", () => {
    for (const to of ["review", "failed", "cancelled"] as const) {
      expect(movesInto(TASK_MOVES.engine, to)).not.toContain("completed");
      expect(canMoveTask("engine", "in_progress", to)).toBe(true);
    }
  });

  it("treats completed as final: a person's word that the task is done stands", () => {
    expect(finalStatuses(TASK_MOVES.engine)).toEqual(["completed"]);
  });

  it("never moves a task to backlog, pending, testing or completed: those are a person's moves", () => {
    for (const to of ["backlog", "pending", "testing", "completed"] as const) {
      expect(movesInto(TASK_MOVES.engine, to)).toEqual([]);
    }
  });
});

describe("the tables", () => {
  it("have a row for every status and list only real statuses, never the row's own", () => {
    for (const moves of Object.values(TASK_MOVES)) {
      expect(Object.keys(moves).sort()).toEqual([...TASK_STATUSES].sort());
      for (const [from, targets] of Object.entries(moves)) {
        expect(targets).not.toContain(from);
        for (const to of targets) expect(TASK_STATUSES).toContain(to);
      }
    }
  });
});
