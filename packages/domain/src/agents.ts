// The crew's agents: the roles they play (§3 role catalog) and where each stands.

export const AGENT_ROLES = [
  "product-manager",
  "project-manager",
  "architect",
  "senior-developer",
  "junior-developer",
  "qa-engineer",
  "reviewer",
  "orchestrator",
] as const;
export const AGENT_STATUSES = ["idle", "working", "paused", "error"] as const;

export type AgentRole = (typeof AGENT_ROLES)[number];
export type AgentStatus = (typeof AGENT_STATUSES)[number];
