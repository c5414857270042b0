import { describe, expect, it } from "vitest";
import { addStep, effectivePipeline, moveStep, removeStep, samePipeline } from "./pipeline";

const crew = [
  { id: "qa", position: 3, isActive: true },
  { id: "pm", position: 0, isActive: true },
  { id: "arch", position: 1, isActive: true },
  { id: "junior", position: 2, isActive: false },
];

describe("effectivePipeline", () => {
  it("keeps the saved order", () => {
    expect(effectivePipeline(["arch", "pm"], crew)).toEqual(["arch", "pm"]);
  });

  it("drops agents that are no longer in the crew", () => {
    expect(effectivePipeline(["gone", "qa", "pm"], crew)).toEqual(["qa", "pm"]);
  });

  it("falls back to the active agents by position, as a run does", () => {
    expect(effectivePipeline([], crew)).toEqual(["pm", "arch", "qa"]);
    expect(effectivePipeline(["gone"], crew)).toEqual(["pm", "arch", "qa"]);
  });
});

describe("moveStep", () => {
  const ids = ["a", "b", "c"];

  it("moves a step up and down", () => {
    expect(moveStep(ids, 1, -1)).toEqual(["b", "a", "c"]);
    expect(moveStep(ids, 1, 1)).toEqual(["a", "c", "b"]);
  });

  it("leaves the order alone at the ends", () => {
    expect(moveStep(ids, 0, -1)).toEqual(ids);
    expect(moveStep(ids, 2, 1)).toEqual(ids);
    expect(moveStep(ids, 5, -1)).toEqual(ids);
  });

  it("does not change the list it was given", () => {
    moveStep(ids, 0, 1);
    expect(ids).toEqual(["a", "b", "c"]);
  });
});

describe("adding and removing steps", () => {
  it("appends an agent once", () => {
    expect(addStep(["a"], "b")).toEqual(["a", "b"]);
    expect(addStep(["a", "b"], "a")).toEqual(["a", "b"]);
  });

  it("removes an agent", () => {
    expect(removeStep(["a", "b", "c"], "b")).toEqual(["a", "c"]);
  });
});

describe("samePipeline", () => {
  it("compares order, not just members", () => {
    expect(samePipeline(["a", "b"], ["a", "b"])).toBe(true);
    expect(samePipeline(["a", "b"], ["b", "a"])).toBe(false);
    expect(samePipeline(["a"], ["a", "b"])).toBe(false);
  });
});
