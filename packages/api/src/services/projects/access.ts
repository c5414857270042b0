import { AsyncLocalStorage } from "node:async_hooks";
import { type Executor, preparedOn, schema } from "@crewdeck/db";
import { type MemberRole, roleAtLeast } from "@crewdeck/domain";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { forbidden, notFound } from "../../errors";

export { type MemberRole, roleAtLeast };

/**
 * An API key may be limited to one project. For the request it authenticates, every other project reads
 * as one its owner is not a member of, and resources outside any project as someone else's: the same
 * 404s and 403s a non-member gets. The request's base procedure (or raw route) sets it once; membership
 * is decided here, so every check and every "my projects" list honours it.
 */
const credentialProject = new AsyncLocalStorage<string>();

/** Runs `fn` for a credential limited to `projectId` (null: no limit). */
export function withinCredentialProject<T>(projectId: string | null, fn: () => T): T {
  return projectId ? credentialProject.run(projectId, fn) : fn();
}

/** The one project the current credential may reach, or null when it may reach all of its owner's. */
export const credentialProjectId = (): string | null => credentialProject.getStore() ?? null;

/**
 * The answer to a key limited to one project that asks for something of the account or the whole site
 * (its profile, notifications, GitHub connection, a new project, a task outside any project).
 */
export const outsideCredentialProject = () =>
  forbidden(
    "This API key is limited to one project and cannot reach the account or anything outside that project: use a key without a project, or a signed-in session",
  );

/** Whether the current credential reaches a resource of this project (null: outside any project). */
export function inCredentialReach(projectId: string | null): boolean {
  const only = credentialProjectId();
  return only === null || only === projectId;
}

/** A resource outside any project is the account's own: a key limited to a project may not make one. */
export function assertMayCreateOutsideProjects(): void {
  if (!inCredentialReach(null)) throw outsideCredentialProject();
}

/** The caller's memberships as a condition on `project_members`: all of them, or the credential's one. */
export function membershipsOf(userId: string): SQL {
  const only = credentialProjectId();
  const m = schema.projectMembers;
  return only ? and(eq(m.userId, userId), eq(m.projectId, only))! : eq(m.userId, userId);
}

/** Every project request checks membership first: its statement is built once per executor. */
const membershipRow = preparedOn((db) => {
  const m = schema.projectMembers;
  return db
    .select({ project: schema.projects, role: m.role })
    .from(m)
    .innerJoin(schema.projects, eq(schema.projects.id, m.projectId))
    .where(and(eq(m.projectId, sql.placeholder("projectId")), eq(m.userId, sql.placeholder("userId"))))
    .limit(1)
    .prepare();
});

/** The project and the caller's role in it, or null when the caller is not a member (or it does not exist). */
export async function findMembership(db: Executor, projectId: string, userId: string) {
  if (!inCredentialReach(projectId)) return null;
  return (await membershipRow(db).get({ projectId, userId })) ?? null;
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
