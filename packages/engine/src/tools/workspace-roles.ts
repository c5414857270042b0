// Which roles may do what in a task's workspace. Reading roles plan and judge from the code; developers
// change it; QA runs the tests and adds missing ones (its prompt asks it to), so it edits too.
import type { AgentRole } from "../roles/catalog";

export const READING_ROLES: AgentRole[] = [
  "product-manager",
  "project-manager",
  "architect",
  "reviewer",
  "senior-developer",
  "junior-developer",
  "qa-engineer",
];
export const EDITING_ROLES: AgentRole[] = ["senior-developer", "junior-developer", "qa-engineer"];
export const COMMAND_ROLES: AgentRole[] = ["senior-developer", "junior-developer", "qa-engineer"];

/** Without a role (internal callers and tests that do not say) the workspace is read-only. */
export const mayEdit = (role: AgentRole | undefined) => role !== undefined && EDITING_ROLES.includes(role);
