// Whose agents an emergency stop reaches: an admin's reaches every project (or the one named); a project
// owner's reaches the projects they own (or the one named). Anyone else may not pull it.

import { schema } from "@crewdeck/db";
import type { EmergencyScope } from "@crewdeck/engine";
import { and, eq } from "drizzle-orm";
import type { Context } from "../../context";
import { forbidden, notFound } from "../../errors";
import { requireProjectRole } from "../projects/access";

type Authed = Context & { viewer: NonNullable<Context["viewer"]> };

const isAdmin = (ctx: Authed) => ctx.viewer.user.role === "admin";

export async function emergencyScopeFor(ctx: Authed, projectId: string | undefined): Promise<EmergencyScope> {
  if (projectId) {
    if (!isAdmin(ctx)) await requireProjectRole(ctx.db, projectId, ctx.viewer.user.id, "owner");
    else if (
      !(await ctx.db.query.projects.findFirst({
        columns: { id: true },
        where: eq(schema.projects.id, projectId),
      }))
    )
      throw notFound("Project");
    return { projectIds: [projectId] };
  }
  if (isAdmin(ctx)) return { all: true };
  const owned = await ctx.db
    .select({ id: schema.projectMembers.projectId })
    .from(schema.projectMembers)
    .where(
      and(eq(schema.projectMembers.userId, ctx.viewer.user.id), eq(schema.projectMembers.role, "owner")),
    );
  if (owned.length === 0) throw forbidden("Only an admin or a project's owner can use the emergency stop");
  return { projectIds: owned.map((p) => p.id) };
}

/** What the status shows: everything for admins, the projects one is a member of for everyone else. */
export async function emergencyViewFor(ctx: Authed): Promise<EmergencyScope> {
  if (isAdmin(ctx)) return { all: true };
  const rows = await ctx.db
    .select({ id: schema.projectMembers.projectId })
    .from(schema.projectMembers)
    .where(eq(schema.projectMembers.userId, ctx.viewer.user.id));
  return { projectIds: rows.map((p) => p.id) };
}
