import { describe, expect, it } from "vitest";
import { agentOptionLabel, canWriteTask, type StartContext, startBlocker } from "./task-actions";

const ready: StartContext = {
  projectId: "p1",
  status: "backlog",
  runActive: false,
  crew: [{ isActive: true }],
};

describe("canWriteTask", () => {
  it("lets the owner of a task outside any project change it", () => {
    expect(canWriteTask(null, undefined)).toBe(true);
  });

  it("follows the project role: maintainers and owners write, viewers read", () => {
    expect(canWriteTask("p1", "owner")).toBe(true);
    expect(canWriteTask("p1", "maintainer")).toBe(true);
    expect(canWriteTask("p1", "viewer")).toBe(false);
  });

  it("leaves an unknown role to the server", () => {
    expect(canWriteTask("p1", undefined)).toBe(true);
  });
});

describe("startBlocker", () => {
  it("allows a task with a project, an active agent and no run under way", () => {
    expect(startBlocker(ready)).toBeNull();
  });

  it("explains a task without a project", () => {
    expect(startBlocker({ ...ready, projectId: null })).toMatch(/no project/);
  });

  it("explains an emergency stop over the task's project or the whole site", () => {
    const site = { projectId: null, reason: "Runaway costs" };
    expect(startBlocker({ ...ready, stops: [site] })).toBe(
      "An emergency stop is in force for every project (Runaway costs); agents take no work until it is lifted.",
    );
    const here = { projectId: ready.projectId, reason: "Checking" };
    expect(startBlocker({ ...ready, stops: [here] })).toMatch(/for this project \(Checking\)/);
    expect(startBlocker({ ...ready, stops: [{ projectId: "elsewhere", reason: "x" }] })).toBeNull();
  });

  it("explains a run that is still under way", () => {
    expect(startBlocker({ ...ready, runActive: true })).toMatch(/under way/);
  });

  it("explains a completed task", () => {
    expect(startBlocker({ ...ready, status: "completed" })).toMatch(/Backlog/);
  });

  it("explains a crew without active agents, empty or all inactive", () => {
    expect(startBlocker({ ...ready, crew: [] })).toMatch(/no active agents/);
    expect(startBlocker({ ...ready, crew: [{ isActive: false }] })).toMatch(/no active agents/);
  });

  it("does not block while the crew or the run is still loading", () => {
    expect(startBlocker({ ...ready, crew: undefined, runActive: undefined })).toBeNull();
  });
});

describe("agentOptionLabel", () => {
  it("adds the role only when the name does not already say it", () => {
    expect(agentOptionLabel({ name: "Ada", role: "architect", isActive: true })).toBe("Ada (Architect)");
    expect(agentOptionLabel({ name: "QA Engineer", role: "qa-engineer", isActive: true })).toBe(
      "QA Engineer",
    );
  });

  it("marks an inactive agent", () => {
    expect(agentOptionLabel({ name: "Ada", role: "architect", isActive: false })).toBe(
      "Ada (Architect) · inactive",
    );
  });
});
