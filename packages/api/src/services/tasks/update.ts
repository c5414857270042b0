// Editing a task by hand: its fields, and its status within the allowed transitions.
import { type Database, type Executor, schema } from "@crewdeck/db";
import { ACTIVE_RUN_STATUSES } from "@crewdeck/domain";
import { and, eq, inArray } from "drizzle-orm";
import { conflict, notFound } from "../../errors";
import { changedFields } from "../../lib/changes";
import { insertTaskRepositories } from "./create";
import { reloadTaskDetail } from "./detail";
import type { TaskRow } from "./dto";
import { assertReferences } from "./references";
import { assertTransition } from "./transitions";

export type UpdateTaskInput = {
  title?: string | undefined;
  description?: string | null | undefined;
  prompt?: string | null | undefined;
  type?: schema.TaskType | undefined;
  priority?: schema.TaskPriority | undefined;
  complexity?: schema.TaskComplexity | undefined;
  branch?: string | null | undefined;
  targetBranch?: string | null | undefined;
  definitionOfDone?: string | null | undefined;
  repositoryId?: string | null | undefined;
  status?: schema.TaskStatus | undefined;
  /** Already authorised for the caller by the procedure. */
  projectId?: string | undefined;
};

/** Timestamps that follow the status: entering completed stamps it, reopening clears it. */
function statusEffects(from: schema.TaskStatus, to: schema.TaskStatus) {
  if (to === from) return {};
  if (to === "completed") return { completedAt: new Date() };
  if (from === "completed") return { completedAt: null };
  return {};
}

/**
 * Moving to another project: the old project's repository, agent and issue mean nothing there, so they
 * are cleared (unless the same request names ones of the new project).
 */
function moveEffects(task: TaskRow, input: UpdateTaskInput) {
  if (input.projectId === undefined || input.projectId === task.projectId) return {};
  return {
    repositoryId: input.repositoryId ?? null,
    assignedToAgentId: null,
    issueId: null,
  };
}

async function hasActiveRun(db: Executor, taskId: string) {
  const run = await db.query.runs.findFirst({
    columns: { id: true },
    where: and(eq(schema.runs.taskId, taskId), inArray(schema.runs.status, ACTIVE_RUN_STATUSES)),
  });
  return run !== undefined;
}

export async function updateTask(db: Database, task: TaskRow, input: UpdateTaskInput) {
  if (input.status) assertTransition(task.status, input.status);
  const moving = input.projectId !== undefined && input.projectId !== task.projectId;
  const projectId = moving ? (input.projectId ?? null) : task.projectId;
  await assertReferences(db, projectId, [
    { field: "repositoryId", kind: "repository", id: input.repositoryId },
  ]);
  if (moving && (await hasActiveRun(db, task.id))) {
    throw conflict("The task has an active run; cancel it before moving the task to another project");
  }
  const changes = changedFields(input);
  if (!changes) return reloadTaskDetail(db, task.id);
  const values = {
    ...changes,
    ...moveEffects(task, input),
    ...(input.status ? statusEffects(task.status, input.status) : {}),
  };
  await db.transaction(async (tx) => {
    // A status move is guarded by the status it was checked from, so a concurrent move is not overwritten.
    const guard = input.status ? eq(schema.tasks.status, task.status) : undefined;
    const updated = await tx
      .update(schema.tasks)
      .set(values)
      .where(and(eq(schema.tasks.id, task.id), guard))
      .returning({ id: schema.tasks.id });
    if (updated.length === 0) {
      throw input.status
        ? conflict("The task changed status meanwhile; reload and try again")
        : notFound("Task");
    }
    if (moving) {
      // The task's talk and its repository set belong to the project it is in.
      if (task.conversationId) {
        await tx
          .update(schema.conversations)
          .set({ projectId })
          .where(eq(schema.conversations.id, task.conversationId));
      }
      await tx.delete(schema.taskRepositories).where(eq(schema.taskRepositories.taskId, task.id));
      if (projectId) await insertTaskRepositories(tx, task.id, projectId, input.repositoryId);
    } else if (input.repositoryId) {
      // A task's main repository is always one it may touch.
      await tx
        .insert(schema.taskRepositories)
        .values({ taskId: task.id, repositoryId: input.repositoryId, isActive: true })
        .onConflictDoUpdate({
          target: [schema.taskRepositories.taskId, schema.taskRepositories.repositoryId],
          set: { isActive: true, updatedAt: new Date() },
        });
    }
  });
  return reloadTaskDetail(db, task.id);
}
