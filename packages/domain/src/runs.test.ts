import { describe, expect, it } from "vitest";
import { finalStatuses, type Moves } from "./moves";
import {
  ACTIVE_RUN_STATUSES,
  canMoveRun,
  canMoveStep,
  isRunActive,
  RUN_MOVES,
  RUN_STATUSES,
  RUN_STEP_STATUSES,
  STEP_MOVES,
} from "./runs";

describe("a run's moves", () => {
  it("claims, pauses and resumes: queued → running, queued or running → paused, paused → queued", () => {
    expect(canMoveRun("queued", "running")).toBe(true);
    expect(canMoveRun("running", "paused")).toBe(true);
    expect(canMoveRun("queued", "paused")).toBe(true);
    expect(canMoveRun("paused", "queued")).toBe(true);
    expect(canMoveRun("paused", "running")).toBe(false);
  });

  it("completes only while running, and is interrupted only while queued or running", () => {
    expect(canMoveRun("running", "completed")).toBe(true);
    expect(canMoveRun("queued", "completed")).toBe(false);
    expect(canMoveRun("paused", "completed")).toBe(false);
    expect(canMoveRun("paused", "interrupted")).toBe(false);
  });

  it("fails or is cancelled from every active status", () => {
    for (const from of ACTIVE_RUN_STATUSES) {
      expect(canMoveRun(from, "failed")).toBe(true);
      expect(canMoveRun(from, "cancelled")).toBe(true);
    }
  });

  it("never moves again once ended", () => {
    expect(finalStatuses(RUN_MOVES).sort()).toEqual(["cancelled", "completed", "failed", "interrupted"]);
    expect(canMoveRun("completed", "queued")).toBe(false);
    expect(canMoveRun("failed", "running")).toBe(false);
  });

  it("is active exactly while it is not final", () => {
    for (const status of RUN_STATUSES) {
      expect(isRunActive(status)).toBe(!finalStatuses(RUN_MOVES).includes(status));
    }
    expect(isRunActive(null)).toBe(false);
  });
});

describe("a step's moves", () => {
  it("is claimed from pending and goes back to pending when its run pauses or the server restarts", () => {
    expect(canMoveStep("pending", "running")).toBe(true);
    expect(canMoveStep("running", "pending")).toBe(true);
  });

  it("completes or fails only once it has run, and is cancelled whether it started or not", () => {
    expect(canMoveStep("pending", "completed")).toBe(false);
    expect(canMoveStep("pending", "failed")).toBe(false);
    expect(canMoveStep("running", "completed")).toBe(true);
    expect(canMoveStep("running", "failed")).toBe(true);
    expect(canMoveStep("pending", "cancelled")).toBe(true);
    expect(canMoveStep("running", "cancelled")).toBe(true);
  });

  it("never moves again once ended", () => {
    expect(finalStatuses(STEP_MOVES).sort()).toEqual(["cancelled", "completed", "failed", "skipped"]);
  });
});

describe("the tables", () => {
  const check = <S extends string>(moves: Moves<S>, statuses: readonly S[]) => {
    expect(Object.keys(moves).sort()).toEqual([...statuses].sort());
    for (const [from, targets] of Object.entries<readonly S[]>(moves)) {
      expect(targets).not.toContain(from);
      for (const to of targets) expect(statuses).toContain(to);
    }
  };
  it("have a row for every status and list only real statuses, never the row's own", () => {
    check(RUN_MOVES, RUN_STATUSES);
    check(STEP_MOVES, RUN_STEP_STATUSES);
  });
});
