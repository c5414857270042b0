// Crew templates: a few ready-made sets of roles from the role catalog, added to a project's crew in one go
// (a new project already gets the full crew; these add to it, or rebuild one that was pared down).
import { schema } from "@crewdeck/db";
import type { AgentRole } from "@crewdeck/domain";
import { DEFAULT_CREW, defaultModelConfigFor, ROLE_CATALOG } from "@crewdeck/engine";
import { eq, max } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { invalid } from "../../errors";
import { listAgents } from "./agents";

export type CrewTemplate = { id: string; name: string; description: string; roles: readonly AgentRole[] };

export const CREW_TEMPLATES: readonly CrewTemplate[] = [
  {
    id: "full-crew",
    name: "Full crew",
    description: "Plans, designs, builds and tests: the crew a new project starts with.",
    roles: DEFAULT_CREW,
  },
  {
    id: "build-and-review",
    name: "Build and review",
    description: "An architect designs, a senior developer builds, a reviewer checks the change.",
    roles: ["architect", "senior-developer", "reviewer"],
  },
  {
    id: "solo-developer",
    name: "Solo developer",
    description: "One senior developer who takes a task from description to pull request.",
    roles: ["senior-developer"],
  },
  {
    id: "planning",
    name: "Planning",
    description: "Product and project managers with an architect, for scoping work before it is built.",
    roles: ["product-manager", "project-manager", "architect"],
  },
];

export const listCrewTemplates = () => ({
  items: CREW_TEMPLATES.map((t) => ({
    ...t,
    roles: [...t.roles],
    agents: t.roles.map((role) => ({ role, name: ROLE_CATALOG[role].defaultName })),
  })),
});

/** The template's agents join the crew after those already in it, all or none. */
export async function addCrewTemplate(deps: ApiDeps, projectId: string, templateId: string) {
  const template = CREW_TEMPLATES.find((t) => t.id === templateId);
  if (!template) {
    throw invalid("No such crew template", [
      { field: "templateId", message: `One of ${CREW_TEMPLATES.map((t) => t.id).join(", ")}` },
    ]);
  }
  await deps.db.transaction(async (tx) => {
    const [last] = await tx
      .select({ position: max(schema.agents.position) })
      .from(schema.agents)
      .where(eq(schema.agents.projectId, projectId));
    const start = (last?.position ?? -1) + 1;
    await tx.insert(schema.agents).values(
      template.roles.map((role, i) => ({
        projectId,
        name: ROLE_CATALOG[role].defaultName,
        role,
        modelConfig: defaultModelConfigFor(role),
        position: start + i,
      })),
    );
  });
  return listAgents(deps, projectId);
}
