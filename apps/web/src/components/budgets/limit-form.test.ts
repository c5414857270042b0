import { describe, expect, it } from "vitest";
import { limitFormFrom, newLimitForm, scopeTypeOptions, toCreateInput, toUpdateInput } from "./limit-form";

const ME = "user-1";
const filled = { ...newLimitForm(), name: " Website daily ", projectId: "p1", amountUsd: "10" };

describe("toCreateInput", () => {
  it("sends the amount in USD and the threshold as a fraction", () => {
    expect(toCreateInput({ ...filled, thresholdPercent: "75" }, ME)).toEqual({
      ok: true,
      value: {
        name: "Website daily",
        scopeType: "project",
        scopeId: "p1",
        amountUsd: 10,
        period: "daily",
        alertThreshold: 0.75,
        actionOnExceed: "warn",
      },
    });
  });

  it("limits the signed-in user for a user limit, and nobody in particular for a global one", () => {
    const user = toCreateInput({ ...filled, scopeType: "user" }, ME);
    expect(user.ok && user.value.scopeId).toBe(ME);
    const global = toCreateInput({ ...filled, scopeType: "global" }, ME);
    expect(global.ok && "scopeId" in global.value).toBe(false);
  });

  it("names every field that needs fixing", () => {
    const result = toCreateInput(
      { ...newLimitForm(), name: "  ", amountUsd: "0", thresholdPercent: "120", scopeType: "project" },
      ME,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((e) => e.field).sort()).toEqual([
        "alertThreshold",
        "amountUsd",
        "name",
        "scopeId",
      ]);
    }
  });

  it("asks for the project first when an agent limit has none", () => {
    const result = toCreateInput({ ...filled, scopeType: "agent", projectId: "" }, ME);
    expect(!result.ok && result.errors).toEqual([
      { field: "projectId", message: "Choose the agent's project" },
    ]);
    const noAgent = toCreateInput({ ...filled, scopeType: "agent" }, ME);
    expect(!noAgent.ok && noAgent.errors[0]?.field).toBe("scopeId");
  });

  it("refuses amounts that are not numbers", () => {
    expect(toCreateInput({ ...filled, amountUsd: "ten" }, ME).ok).toBe(false);
    expect(toCreateInput({ ...filled, amountUsd: "" }, ME).ok).toBe(false);
  });
});

describe("toUpdateInput", () => {
  it("round-trips an existing limit, without its scope", () => {
    const form = limitFormFrom({
      id: "l1",
      name: "Crew cap",
      scopeType: "agent",
      scopeId: "a1",
      scopeName: "Reviewer",
      amountUsd: 2.5,
      period: "weekly",
      alertThreshold: 0.9,
      actionOnExceed: "pause",
      isActive: false,
      spentUsd: 1,
      percentage: 40,
      periodStart: "2026-02-09T00:00:00.000Z",
      createdAt: "2026-02-01T00:00:00.000Z",
      updatedAt: "2026-02-01T00:00:00.000Z",
    });
    expect(form.agentId).toBe("a1");
    expect(toUpdateInput(form, "l1")).toEqual({
      ok: true,
      value: {
        limitId: "l1",
        name: "Crew cap",
        amountUsd: 2.5,
        period: "weekly",
        alertThreshold: 0.9,
        actionOnExceed: "pause",
        isActive: false,
      },
    });
  });
});

describe("scopeTypeOptions", () => {
  it("offers global limits to administrators only", () => {
    expect(scopeTypeOptions(false)).not.toContain("global");
    expect(scopeTypeOptions(true)).toContain("global");
  });
});
