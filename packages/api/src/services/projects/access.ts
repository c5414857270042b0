import { type Executor, schema } from "@crewdeck/db";
import { type MemberRole, roleAtLeast } from "@crewdeck/domain";
import { and, eq } from "drizzle-orm";
import { forbidden, notFound } from "../../errors";

export { type MemberRole, roleAtLeast };

/** The project and the caller's role in it, or null when the caller is not a member (or it does not exist). */
export async function findMembership(db: Executor, projectId: string, userId: string) {
  const [row] = await db
    .select({ project: schema.projects, role: schema.projectMembers.role })
    .from(schema.projectMembers)
    .innerJoin(schema.projects, eq(schema.projects.id, schema.projectMembers.projectId))
    .where(and(eq(schema.projectMembers.projectId, projectId), eq(schema.projectMembers.userId, userId)))
    .limit(1);
  return row ?? null;
}

/** The rule for every project resource: outsiders learn nothing (404), members below `minRole` get 403. */
export function assertRole(role: MemberRole | null, minRole: MemberRole, what: string): MemberRole {
  if (!role) throw notFound(what);
  if (!roleAtLeast(role, minRole)) {
    throw forbidden(`This needs the ${minRole} role in the project; you are ${role}`);
  }
  return role;
}

/** The project and the caller's role in it, when they hold at least `minRole` there. */
export async function requireProjectRole(
  db: Executor,
  projectId: string,
  userId: string,
  minRole: MemberRole,
) {
  const membership = await findMembership(db, projectId, userId);
  assertRole(membership?.role ?? null, minRole, "Project");
  return membership!;
}
