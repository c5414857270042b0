// Who sees and who manages a budget limit (§2.9). Everyone sees global limits; a user sees their own user
// limits (admins: all of them) and the project and agent limits of projects they belong to. Managing a
// limit takes an admin (global), the project's owner (project, agent), or the user themselves (user).
import { type Executor, schema } from "@crewdeck/db";
import { and, eq, inArray, or, type SQL } from "drizzle-orm";
import { forbidden, notFound } from "../../errors";
import {
  assertRole,
  findMembership,
  inCredentialReach,
  membershipsOf,
  outsideCredentialProject,
  requireProjectRole,
} from "../projects/access";

export type BudgetViewer = { userId: string; isAdmin: boolean };
type LimitRow = typeof schema.budgetLimits.$inferSelect;

export const toBudgetViewer = (user: { id: string; role: string | null }): BudgetViewer => ({
  userId: user.id,
  isAdmin: user.role === "admin",
});

const ADMINS_ONLY = "Administrators only";

/** The projects the viewer is a member of, as a subquery. */
export const memberProjectIds = (db: Executor, userId: string) =>
  db.select({ id: schema.projectMembers.projectId }).from(schema.projectMembers).where(membershipsOf(userId));

/** The condition on `budget_limits` that selects what the viewer may see. */
export function visibleLimits(db: Executor, viewer: BudgetViewer): SQL {
  const l = schema.budgetLimits;
  const memberAgentIds = db
    .select({ id: schema.agents.id })
    .from(schema.agents)
    .innerJoin(schema.projectMembers, eq(schema.projectMembers.projectId, schema.agents.projectId))
    .where(membershipsOf(viewer.userId));
  const ofProjects = [
    and(eq(l.scopeType, "project"), inArray(l.scopeId, memberProjectIds(db, viewer.userId))),
    and(eq(l.scopeType, "agent"), inArray(l.scopeId, memberAgentIds)),
  ];
  // Global and personal limits are outside any project: a key limited to one sees that project's alone.
  if (!inCredentialReach(null)) return or(...ofProjects)!;
  return or(
    eq(l.scopeType, "global"),
    viewer.isAdmin ? eq(l.scopeType, "user") : and(eq(l.scopeType, "user"), eq(l.scopeId, viewer.userId)),
    ...ofProjects,
  )!;
}

/**
 * Checks that the viewer may set limits on this scope: 403 for a global limit unless an admin, or for a
 * project member below owner; 404 for a user, project or agent they cannot see.
 */
export async function authorizeLimitScope(
  db: Executor,
  viewer: BudgetViewer,
  scopeType: schema.BudgetScopeType,
  scopeId: string | null,
): Promise<void> {
  const id = scopeId ?? "";
  switch (scopeType) {
    case "global":
      if (!viewer.isAdmin) throw forbidden(ADMINS_ONLY);
      return;
    case "user": {
      if (!inCredentialReach(null)) throw outsideCredentialProject();
      if (id === viewer.userId) return;
      const user = viewer.isAdmin
        ? await db.query.users.findFirst({ columns: { id: true }, where: eq(schema.users.id, id) })
        : undefined;
      if (!user) throw notFound("User");
      return;
    }
    case "project":
      await requireProjectRole(db, id, viewer.userId, "owner");
      return;
    case "agent": {
      const agent = await db.query.agents.findFirst({
        columns: { projectId: true },
        where: eq(schema.agents.id, id),
      });
      const membership = agent ? await findMembership(db, agent.projectId, viewer.userId) : null;
      assertRole(membership?.role ?? null, "owner", "Agent");
      return;
    }
  }
}

/** A limit the viewer may change or delete: 404 when they cannot see it, 403 when they may only see it. */
export async function loadManageableLimit(
  db: Executor,
  viewer: BudgetViewer,
  limitId: string,
): Promise<LimitRow> {
  const l = schema.budgetLimits;
  const [limit] = await db
    .select()
    .from(l)
    .where(and(eq(l.id, limitId), visibleLimits(db, viewer)))
    .limit(1);
  if (!limit) throw notFound("Budget limit");
  await authorizeLimitScope(db, viewer, limit.scopeType, limit.scopeId);
  // A user may lift a limit they set on themselves, not one an administrator set on them.
  if (limit.scopeType === "user" && !viewer.isAdmin && limit.createdById !== viewer.userId) {
    throw forbidden("An administrator set this limit; only an administrator can change it");
  }
  return limit;
}
