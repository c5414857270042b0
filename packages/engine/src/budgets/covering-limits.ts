// Which limits apply to a model call: the global ones, and those of its user, project and agent.
import { type Executor, preparedOn, schema } from "@crewdeck/db";
import { and, asc, eq, or, sql } from "drizzle-orm";

/** On whose behalf a model call is made; each non-null id brings that scope's limits into play. */
export type BudgetSubject = { userId: string; projectId: string | null; agentId: string | null };

export type BudgetLimitRow = typeof schema.budgetLimits.$inferSelect;

/** Built once per executor; a scope whose id is null matches nothing (`scope_id = NULL` is never true). */
const coveringLimits = preparedOn((db) => {
  const l = schema.budgetLimits;
  const scoped = (type: schema.BudgetScopeType) =>
    and(eq(l.scopeType, type), eq(l.scopeId, sql.placeholder(`${type}Id`)));
  return db
    .select()
    .from(l)
    .where(
      and(
        eq(l.isActive, true),
        or(eq(l.scopeType, "global"), scoped("user"), scoped("project"), scoped("agent")),
      ),
    )
    .orderBy(asc(l.createdAt), asc(l.id))
    .prepare();
});

/** The active limits whose scope covers a call made for `subject`, oldest first. */
export async function findCoveringLimits(db: Executor, subject: BudgetSubject): Promise<BudgetLimitRow[]> {
  return coveringLimits(db).all({
    userId: subject.userId,
    projectId: subject.projectId,
    agentId: subject.agentId,
  });
}
