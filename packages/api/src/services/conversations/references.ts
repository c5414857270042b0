// What a new conversation may point at: agents, a task and an issue of its own project, each one the
// caller may work with. A bad reference is the caller's input error (400 naming the field), not a 404.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq, inArray } from "drizzle-orm";
import type { FieldError } from "../../errors";
import { roleOver } from "../access/scoped-resources";
import { membershipsOf, roleAtLeast } from "../projects/access";

export type ConversationReferences = {
  agentIds?: string[] | undefined;
  taskId?: string | undefined;
  issueId?: string | undefined;
};

/** Agents the conversation may include: its project's crew, or for an unassigned one any crew the caller runs. */
async function usableAgentIds(
  db: Executor,
  projectId: string | null,
  userId: string,
  agentIds: string[],
): Promise<Set<string>> {
  const a = schema.agents;
  const rows =
    projectId === null
      ? await db
          .select({ id: a.id })
          .from(a)
          .innerJoin(schema.projectMembers, eq(schema.projectMembers.projectId, a.projectId))
          .where(
            and(
              inArray(a.id, agentIds),
              membershipsOf(userId),
              inArray(schema.projectMembers.role, ["maintainer", "owner"]),
            ),
          )
      : await db
          .select({ id: a.id })
          .from(a)
          .where(and(inArray(a.id, agentIds), eq(a.projectId, projectId)));
  return new Set(rows.map((r) => r.id));
}

async function taskError(
  db: Executor,
  projectId: string | null,
  userId: string,
  taskId: string,
): Promise<string | null> {
  const task = await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) });
  const role = task ? await roleOver(db, task, userId) : null;
  if (!task || !role) return "No such task";
  if (task.projectId !== projectId) {
    return projectId === null ? "The task belongs to a project" : "The task is not in this project";
  }
  return roleAtLeast(role, "maintainer") ? null : "You may not write to this task";
}

async function issueError(db: Executor, projectId: string | null, issueId: string): Promise<string | null> {
  if (projectId === null) return "Only a project's conversation can be about an issue";
  const issue = await db.query.githubIssues.findFirst({
    columns: { id: true },
    where: and(eq(schema.githubIssues.id, issueId), eq(schema.githubIssues.projectId, projectId)),
  });
  return issue ? null : "Not an issue of this project";
}

/** Field errors for every reference that does not fit the conversation's project and the caller. */
export async function conversationReferenceErrors(
  db: Executor,
  projectId: string | null,
  userId: string,
  refs: ConversationReferences,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const agentIds = refs.agentIds ?? [];
  if (agentIds.length > 0) {
    const usable = await usableAgentIds(db, projectId, userId, agentIds);
    agentIds.forEach((id, i) => {
      if (!usable.has(id)) {
        errors.push({
          field: `agentIds.${i}`,
          message:
            projectId === null
              ? "Not an agent of a project you maintain"
              : "Not an agent of the conversation's project",
        });
      }
    });
  }
  if (refs.taskId) {
    const message = await taskError(db, projectId, userId, refs.taskId);
    if (message) errors.push({ field: "taskId", message });
  }
  if (refs.issueId) {
    const message = await issueError(db, projectId, refs.issueId);
    if (message) errors.push({ field: "issueId", message });
  }
  return errors;
}
