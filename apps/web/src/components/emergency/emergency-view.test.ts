import { describe, expect, it } from "vitest";
import { type EmergencyStatus, emergencyView } from "./emergency-view";

const admin = { isAdmin: true, ownedProjectIds: [] };
const owner = { isAdmin: false, ownedProjectIds: ["p1", "p2"] };
const member = { isAdmin: false, ownedProjectIds: [] };

const stop = (projectId: string | null, projectName: string | null = null) => ({
  id: `s-${projectId}`,
  projectId,
  projectName,
  reason: "Runaway costs",
  triggeredBy: { id: "u1", name: "Ada" },
  createdAt: "2026-02-12T10:00:00.000Z",
});

const status = (stops: EmergencyStatus["stops"]): EmergencyStatus => ({
  active: stops.length > 0,
  stops,
  pausedAgents: 3,
  runningCalls: 0,
});

describe("emergencyView when nothing is stopped", () => {
  it("gives administrators the site-wide stop", () => {
    expect(emergencyView(admin, status([]))).toEqual({ mode: "stop", siteWide: true });
  });

  it("gives project owners a stop for their projects", () => {
    expect(emergencyView(owner, status([]))).toEqual({ mode: "stop", siteWide: false });
  });

  it("shows nothing to people who may not stop anything", () => {
    expect(emergencyView(member, status([]))).toEqual({ mode: "hidden" });
    expect(emergencyView(member, undefined)).toEqual({ mode: "hidden" });
  });
});

describe("emergencyView during a stop", () => {
  it("says all agents are paused and lets an administrator resume", () => {
    expect(emergencyView(admin, status([stop(null)]))).toEqual({
      mode: "paused",
      label: "All agents paused",
      detail: "Runaway costs (by Ada)",
      canResume: true,
    });
  });

  it("shows a site-wide stop to everyone, read-only for those who did not pull it", () => {
    expect(emergencyView(member, status([stop(null)]))).toMatchObject({ mode: "paused", canResume: false });
    expect(emergencyView(owner, status([stop(null)]))).toMatchObject({
      label: "All agents paused",
      canResume: false,
    });
  });

  it("names the stopped project, and lets its owner resume it", () => {
    expect(emergencyView(owner, status([stop("p1", "Website")]))).toEqual({
      mode: "paused",
      label: "Agents paused in Website",
      detail: "Website: Runaway costs (by Ada)",
      canResume: true,
    });
    expect(emergencyView(member, status([stop("p1", "Website")]))).toMatchObject({ canResume: false });
  });

  it("counts the projects when several are stopped", () => {
    expect(emergencyView(admin, status([stop("p1", "A"), stop("p9", "B")]))).toMatchObject({
      label: "Agents paused in 2 projects",
      canResume: true,
    });
  });
});
