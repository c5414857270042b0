// Editing a task by hand: its fields, and its status within the allowed transitions.
import { type Database, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import { conflict, notFound } from "../../errors";
import { changedFields } from "../../lib/changes";
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
};

/** Timestamps that follow the status: entering completed stamps it, reopening clears it. */
function statusEffects(from: schema.TaskStatus, to: schema.TaskStatus) {
  if (to === from) return {};
  if (to === "completed") return { completedAt: new Date() };
  if (from === "completed") return { completedAt: null };
  return {};
}

export async function updateTask(db: Database, task: TaskRow, input: UpdateTaskInput) {
  if (input.status) assertTransition(task.status, input.status);
  await assertReferences(db, task.projectId, [
    { field: "repositoryId", kind: "repository", id: input.repositoryId },
  ]);
  const changes = changedFields(input);
  if (!changes) return reloadTaskDetail(db, task.id);
  const values = { ...changes, ...(input.status ? statusEffects(task.status, input.status) : {}) };
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
    if (input.repositoryId) {
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
