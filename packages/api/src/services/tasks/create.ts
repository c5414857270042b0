// A new task, born with its own conversation and its set of project repositories.
import { type Database, type Executor, schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { assertMayCreateOutsideProjects } from "../projects/access";
import { getTaskDetail } from "./detail";
import { assertReferences } from "./references";

export type CreateTaskInput = {
  title: string;
  description?: string | undefined;
  prompt?: string | undefined;
  repositoryId?: string | undefined;
  branch?: string | undefined;
  targetBranch?: string | undefined;
  type?: schema.TaskType | undefined;
  priority?: schema.TaskPriority | undefined;
  complexity?: schema.TaskComplexity | undefined;
  issueId?: string | undefined;
  assignedToAgentId?: string | undefined;
  definitionOfDone?: string | undefined;
};

/**
 * Creates the task in `projectId` (already authorised for the caller) or, when null, as the caller's
 * own unassigned task. The task, its conversation and its repository rows are written together, so a
 * task never exists without the conversation its agents talk in.
 */
export async function createTask(
  db: Database,
  userId: string,
  projectId: string | null,
  input: CreateTaskInput,
) {
  if (projectId === null) assertMayCreateOutsideProjects();
  await assertReferences(db, projectId, [
    { field: "repositoryId", kind: "repository", id: input.repositoryId },
    { field: "assignedToAgentId", kind: "agent", id: input.assignedToAgentId },
    { field: "issueId", kind: "issue", id: input.issueId },
  ]);
  const task = await db.transaction((tx) => insertTask(tx, userId, projectId, input));
  return getTaskDetail(db, task);
}

/**
 * The task's rows inside the caller's transaction (references already checked): the task, its conversation
 * and its repository rows. For callers that file several tasks at once, all or none.
 */
export async function insertTask(
  tx: Executor,
  userId: string,
  projectId: string | null,
  input: CreateTaskInput,
) {
  const [inserted] = await tx
    .insert(schema.tasks)
    .values({
      projectId,
      createdById: userId,
      title: input.title,
      description: input.description ?? null,
      prompt: input.prompt ?? null,
      type: input.type ?? "feature",
      priority: input.priority ?? "medium",
      complexity: input.complexity ?? "moderate",
      status: "backlog",
      repositoryId: input.repositoryId ?? null,
      branch: input.branch ?? null,
      targetBranch: input.targetBranch ?? null,
      issueId: input.issueId ?? null,
      assignedToAgentId: input.assignedToAgentId ?? null,
      definitionOfDone: input.definitionOfDone ?? null,
    })
    .returning();
  if (!inserted) throw new Error("task insert returned nothing");
  const [conversation] = await tx
    .insert(schema.conversations)
    .values({ projectId, createdById: userId, title: input.title, type: "task", taskId: inserted.id })
    .returning({ id: schema.conversations.id });
  if (!conversation) throw new Error("conversation insert returned nothing");
  const [linked] = await tx
    .update(schema.tasks)
    .set({ conversationId: conversation.id })
    .where(eq(schema.tasks.id, inserted.id))
    .returning();
  if (!linked) throw new Error("task update returned nothing");
  if (projectId) await insertTaskRepositories(tx, inserted.id, projectId, input.repositoryId);
  return linked;
}

/** The task may touch its project's repositories: all of them, or only `repositoryId` when one is named. */
export async function insertTaskRepositories(
  tx: Executor,
  taskId: string,
  projectId: string,
  repositoryId: string | null | undefined,
) {
  const repositories = await tx
    .select({ id: schema.projectRepositories.id })
    .from(schema.projectRepositories)
    .where(eq(schema.projectRepositories.projectId, projectId));
  if (repositories.length === 0) return;
  await tx.insert(schema.taskRepositories).values(
    repositories.map((r) => ({
      taskId,
      repositoryId: r.id,
      isActive: !repositoryId || r.id === repositoryId,
    })),
  );
}
