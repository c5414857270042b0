import { describe, expect, it } from "vitest";
import { describeCrewAtWork } from "./task-header";

describe("describeCrewAtWork", () => {
  it("names each agent of the run once, in step order, marking who works now", () => {
    const step = (name: string, status: string) => ({ agent: { name }, status });
    expect(
      describeCrewAtWork([
        step("Architect", "completed"),
        step("Senior Developer", "running"),
        step("QA Engineer", "pending"),
        step("Senior Developer", "pending"),
      ]),
    ).toBe("Architect, Senior Developer (working now), QA Engineer");
  });

  it("is nothing without a run", () => {
    expect(describeCrewAtWork([])).toBeNull();
  });
});
