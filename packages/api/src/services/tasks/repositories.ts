// Which of its project's repositories a task may touch.
import { type Database, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import { notFound } from "../../errors";
import { reloadTaskDetail } from "./detail";
import type { TaskRow } from "./dto";

export async function setTaskRepositoryActive(
  db: Database,
  task: TaskRow,
  repositoryId: string,
  isActive: boolean,
) {
  // Only the task's own project's repositories exist as far as this task is concerned.
  const repository = task.projectId
    ? await db.query.projectRepositories.findFirst({
        columns: { id: true },
        where: and(
          eq(schema.projectRepositories.id, repositoryId),
          eq(schema.projectRepositories.projectId, task.projectId),
        ),
      })
    : undefined;
  if (!repository) throw notFound("Repository");
  await db
    .insert(schema.taskRepositories)
    .values({ taskId: task.id, repositoryId, isActive })
    .onConflictDoUpdate({
      target: [schema.taskRepositories.taskId, schema.taskRepositories.repositoryId],
      set: { isActive, updatedAt: new Date() },
    });
  return reloadTaskDetail(db, task.id);
}
