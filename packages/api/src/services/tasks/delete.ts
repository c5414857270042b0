// Deleting a task, its conversation and its workspace with it, but never under a running pipeline.
import { schema } from "@crewdeck/db";
import { ACTIVE_RUN_STATUSES } from "@crewdeck/domain";
import { and, eq, inArray, notExists } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict } from "../../errors";
import type { TaskRow } from "./dto";
import { removeDeletedTaskWorkspace } from "./workspace";

export async function deleteTask(deps: Pick<ApiDeps, "db" | "engine">, task: TaskRow) {
  await deps.db.transaction(async (tx) => {
    // One statement checks for an active run and deletes, so a run started in between is not lost.
    const activeRun = tx
      .select({ id: schema.runs.id })
      .from(schema.runs)
      .where(and(eq(schema.runs.taskId, task.id), inArray(schema.runs.status, ACTIVE_RUN_STATUSES)));
    const deleted = await tx
      .delete(schema.tasks)
      .where(and(eq(schema.tasks.id, task.id), notExists(activeRun)))
      .returning({ conversationId: schema.tasks.conversationId });
    if (deleted.length === 0) {
      throw conflict("The task has an active run; cancel it before deleting the task");
    }
    // The conversation only points back at the task (set null on delete), so it goes explicitly.
    const conversationId = deleted[0]?.conversationId;
    if (conversationId) {
      await tx.delete(schema.conversations).where(eq(schema.conversations.id, conversationId));
    }
  });
  await removeDeletedTaskWorkspace(deps, task.id);
}
