// Access checks for tasks that the shared scoped-resource rules (services/access) do not already cover.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import { forbidden, notFound } from "../../errors";
import { findMembership, type MemberRole, roleAtLeast } from "../projects/access";

/** The project a new task goes into, if the caller holds `minRole` there (non-members get 404). */
export async function requireProjectRole(
  db: Executor,
  projectId: string,
  userId: string,
  minRole: MemberRole,
) {
  const membership = await findMembership(db, projectId, userId);
  if (!membership) throw notFound("Project");
  if (!roleAtLeast(membership.role, minRole)) {
    throw forbidden(`This needs the ${minRole} role in the project; you are ${membership.role}`);
  }
  return membership.project;
}

/**
 * A task reached through a project-scoped alias. The caller's role in the project was checked by the
 * procedure; a task of another project (or of none) is 404 here, as if it did not exist.
 */
export async function loadProjectTask(db: Executor, projectId: string, taskId: string) {
  const row = await db.query.tasks.findFirst({
    where: and(eq(schema.tasks.id, taskId), eq(schema.tasks.projectId, projectId)),
  });
  if (!row) throw notFound("Task");
  return row;
}
