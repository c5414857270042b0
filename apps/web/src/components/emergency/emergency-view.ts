// What the top bar shows about the emergency stop. Administrators stop and resume the whole site; a
// project's owner stops and resumes the projects they own (§2.10); anyone else only sees that a stop
// concerning them is in force.
import type { RouterOutputs } from "../../lib/trpc";

export type EmergencyStatus = RouterOutputs["emergency"]["status"];
type Stop = EmergencyStatus["stops"][number];

export type EmergencyViewer = { isAdmin: boolean; ownedProjectIds: readonly string[] };

export type EmergencyView =
  | { mode: "hidden" }
  /** The red button; `siteWide` for administrators, otherwise the viewer's own projects. */
  | { mode: "stop"; siteWide: boolean }
  | { mode: "paused"; label: string; detail: string; canResume: boolean };

function describeStop(stop: Stop): string {
  const by = stop.triggeredBy?.name ? ` (by ${stop.triggeredBy.name})` : "";
  const where = stop.projectName ? `${stop.projectName}: ` : "";
  return `${where}${stop.reason}${by}`;
}

export function emergencyView(viewer: EmergencyViewer, status: EmergencyStatus | undefined): EmergencyView {
  const stops = status?.active ? status.stops : [];
  const canStop = viewer.isAdmin || viewer.ownedProjectIds.length > 0;
  if (stops.length === 0) return canStop ? { mode: "stop", siteWide: viewer.isAdmin } : { mode: "hidden" };

  const siteStop = stops.find((stop) => stop.projectId === null);
  // An owner lifts the stops of their projects, never a site-wide one; an administrator lifts them all.
  const canResume =
    viewer.isAdmin ||
    stops.some((stop) => stop.projectId !== null && viewer.ownedProjectIds.includes(stop.projectId));
  const label = siteStop
    ? "All agents paused"
    : stops.length === 1
      ? `Agents paused in ${stops[0]?.projectName ?? "a project"}`
      : `Agents paused in ${stops.length} projects`;
  const detail = (siteStop ? [siteStop] : stops).map(describeStop).join("; ");
  return { mode: "paused", label, detail, canResume };
}
