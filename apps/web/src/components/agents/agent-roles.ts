// Role ids (§3 role catalog) as people read them.
const LABELS: Record<string, string> = {
  "product-manager": "Product manager",
  "project-manager": "Project manager",
  architect: "Architect",
  "senior-developer": "Senior developer",
  "junior-developer": "Junior developer",
  "qa-engineer": "QA engineer",
  reviewer: "Reviewer",
  orchestrator: "Orchestrator",
};

/** Unknown roles (added to the catalog later) still read as words. */
export function roleLabel(role: string): string {
  const known = LABELS[role];
  if (known) return known;
  const words = role.replace(/[-_]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
