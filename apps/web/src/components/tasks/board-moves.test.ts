import { describe, expect, it } from "vitest";
import { boardMove } from "./board-moves";

describe("boardMove", () => {
  it("moves along the person's transition table", () => {
    expect(boardMove("backlog", "pending")).toEqual({ kind: "move", to: "pending" });
    expect(boardMove("review", "in_progress")).toEqual({ kind: "move", to: "in_progress" });
  });

  it("does nothing when dropped on its own column", () => {
    expect(boardMove("testing", "testing")).toEqual({ kind: "none" });
  });

  it("refuses a move the server would refuse, saying where the task may go", () => {
    const refused = boardMove("backlog", "completed");
    expect(refused.kind).toBe("refused");
    expect(refused.kind === "refused" && refused.message).toMatch(
      /^A task cannot move from Backlog to Completed\. From Backlog it may move to Pending, Cancelled\.$/,
    );
  });
});
