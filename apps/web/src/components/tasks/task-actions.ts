// What the task page lets a person do right now, and in words why not: the server still decides, but a
// button that can only fail should say so before it is clicked.
import { roleLabel } from "../agents/agent-roles";
import { hasRole, type MemberRole } from "../projects/project-roles";
import type { TaskStatus } from "./task-options";

/**
 * Tasks outside a project belong to the person who made them (only they can see them); in a project,
 * viewers read and maintainers change. An unknown role (the project is beyond the cached list) is left
 * to the server rather than hiding the actions.
 */
export function canWriteTask(projectId: string | null, role: MemberRole | undefined): boolean {
  if (!projectId || !role) return true;
  return hasRole(role, "maintainer");
}

export type StartContext = {
  projectId: string | null;
  status: TaskStatus;
  /** Whether the latest run may still change (queued, running, paused); undefined while unknown. */
  runActive: boolean | undefined;
  /** The crew's agents; undefined while loading (or unavailable), which does not block. */
  crew: readonly { isActive: boolean }[] | undefined;
  /** Emergency stops in force (site-wide ones have no project); absent while unknown. */
  stops?: readonly { projectId: string | null; reason: string }[] | undefined;
};

/** Why "Start task" cannot work at the moment, or null when it may. Mirrors the server's refusals. */
export function startBlocker({ projectId, status, runActive, crew, stops }: StartContext): string | null {
  if (!projectId) return "A task runs with its project's crew, and this task has no project.";
  if (runActive) return "A run is under way; cancel it or wait for it to finish.";
  const stop = stops?.find((s) => s.projectId === null || s.projectId === projectId);
  if (stop) {
    const where = stop.projectId === null ? "for every project" : "for this project";
    return `An emergency stop is in force ${where} (${stop.reason}); agents take no work until it is lifted.`;
  }
  if (status === "completed") return "The task is completed; move it back to Backlog to run it again.";
  if (crew && !crew.some((agent) => agent.isActive))
    return "The project's crew has no active agents; add or activate one in the project first.";
  return null;
}

/** "Ada (Architect)", but just "Architect" for an agent still named after its role, as default crews are. */
export function agentOptionLabel(agent: { name: string; role: string; isActive: boolean }): string {
  const role = roleLabel(agent.role);
  const name = agent.name.toLowerCase() === role.toLowerCase() ? agent.name : `${agent.name} (${role})`;
  return agent.isActive ? name : `${name} · inactive`;
}
