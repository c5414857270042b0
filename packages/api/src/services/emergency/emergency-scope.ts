// Whose agents an emergency stop reaches: an admin's reaches every project (or the one named); a project
// owner's reaches the projects they own (or the one named). Anyone else may not pull it.

import { type Executor, schema } from "@crewdeck/db";
import type { EmergencyScope } from "@crewdeck/engine";
import { and, eq } from "drizzle-orm";
import { forbidden, notFound } from "../../errors";
import { type Actor, isAdmin } from "../../lib/viewer";
import { membershipsOf, requireProjectRole } from "../projects/access";

export async function emergencyScopeFor(
  db: Executor,
  actor: Actor,
  projectId: string | undefined,
): Promise<EmergencyScope> {
  if (projectId) {
    if (!isAdmin(actor)) await requireProjectRole(db, projectId, actor.userId, "owner");
    else if (
      !(await db.query.projects.findFirst({
        columns: { id: true },
        where: eq(schema.projects.id, projectId),
      }))
    )
      throw notFound("Project");
    return { projectIds: [projectId] };
  }
  if (isAdmin(actor)) return { all: true };
  const owned = await db
    .select({ id: schema.projectMembers.projectId })
    .from(schema.projectMembers)
    .where(and(membershipsOf(actor.userId), eq(schema.projectMembers.role, "owner")));
  if (owned.length === 0) throw forbidden("Only an admin or a project's owner can use the emergency stop");
  return { projectIds: owned.map((p) => p.id) };
}

/** What the status shows: everything for admins, the projects one is a member of for everyone else. */
export async function emergencyViewFor(db: Executor, actor: Actor): Promise<EmergencyScope> {
  if (isAdmin(actor)) return { all: true };
  const rows = await db
    .select({ id: schema.projectMembers.projectId })
    .from(schema.projectMembers)
    .where(membershipsOf(actor.userId));
  return { projectIds: rows.map((p) => p.id) };
}
