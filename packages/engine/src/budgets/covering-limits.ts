// Which limits apply to a model call: the global ones, and those of its user, project and agent.
import { type Executor, schema } from "@crewdeck/db";
import { and, asc, eq, or, type SQL } from "drizzle-orm";

/** On whose behalf a model call is made; each non-null id brings that scope's limits into play. */
export type BudgetSubject = { userId: string; projectId: string | null; agentId: string | null };

export type BudgetLimitRow = typeof schema.budgetLimits.$inferSelect;

/** The active limits whose scope covers a call made for `subject`, oldest first. */
export async function findCoveringLimits(db: Executor, subject: BudgetSubject): Promise<BudgetLimitRow[]> {
  const l = schema.budgetLimits;
  const scoped = (type: schema.BudgetScopeType, id: string) => and(eq(l.scopeType, type), eq(l.scopeId, id));
  const scopes: (SQL | undefined)[] = [eq(l.scopeType, "global"), scoped("user", subject.userId)];
  if (subject.projectId) scopes.push(scoped("project", subject.projectId));
  if (subject.agentId) scopes.push(scoped("agent", subject.agentId));
  return db
    .select()
    .from(l)
    .where(and(eq(l.isActive, true), or(...scopes)))
    .orderBy(asc(l.createdAt), asc(l.id));
}
