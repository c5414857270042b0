// How an agent is named next to its role. The default crew is named after its roles ("Architect"), so the
// role is added only when it says something the name does not.
import { roleLabel } from "../agents/agent-roles";

export function agentRoleSuffix(agent: { name: string; role: string }): string | null {
  const role = roleLabel(agent.role);
  return agent.name.trim().toLowerCase() === role.toLowerCase() ? null : role;
}

/** "Aria (Architect)", or "Architect" alone for an agent named after its role. */
export function agentLabel(agent: { name: string; role: string }): string {
  const role = agentRoleSuffix(agent);
  return role ? `${agent.name} (${role})` : agent.name;
}
