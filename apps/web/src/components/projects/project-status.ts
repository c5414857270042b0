// Project statuses (planning → in-progress → review → completed, or on-hold) in words and badge tones.
import type { RouterOutputs } from "../../lib/trpc";
import type { BadgeTone } from "../ui/badge";

export type ProjectStatus = RouterOutputs["projects"]["get"]["status"];

const STATUSES: Record<ProjectStatus, { label: string; tone: BadgeTone }> = {
  planning: { label: "Planning", tone: "neutral" },
  "in-progress": { label: "In progress", tone: "accent" },
  review: { label: "In review", tone: "accent" },
  completed: { label: "Completed", tone: "ok" },
  "on-hold": { label: "On hold", tone: "warn" },
};

export const PROJECT_STATUSES = Object.keys(STATUSES) as ProjectStatus[];

export const projectStatusLabel = (status: ProjectStatus): string => STATUSES[status]?.label ?? status;
export const projectStatusTone = (status: ProjectStatus): BadgeTone => STATUSES[status]?.tone ?? "neutral";
