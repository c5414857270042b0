// A limit's scope is polymorphic (no foreign key), so deleting a user, a project or an agent deletes its limits
// here, in the deleting transaction. Their alerts cascade from the limits.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq, inArray, or } from "drizzle-orm";

const l = schema.budgetLimits;

/** The limits of a project and of each of its agents (which go with the project). */
export async function deleteProjectLimits(tx: Executor, projectId: string): Promise<void> {
  const agentIds = tx
    .select({ id: schema.agents.id })
    .from(schema.agents)
    .where(eq(schema.agents.projectId, projectId));
  await tx
    .delete(l)
    .where(
      or(
        and(eq(l.scopeType, "project"), eq(l.scopeId, projectId)),
        and(eq(l.scopeType, "agent"), inArray(l.scopeId, agentIds)),
      ),
    );
}

export async function deleteAgentLimits(tx: Executor, agentId: string): Promise<void> {
  await tx.delete(l).where(and(eq(l.scopeType, "agent"), eq(l.scopeId, agentId)));
}

export async function deleteUserLimits(tx: Executor, userId: string): Promise<void> {
  await tx.delete(l).where(and(eq(l.scopeType, "user"), eq(l.scopeId, userId)));
}
