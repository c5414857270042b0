// The one task check the shared scoped-resource rules (services/access) do not already cover.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import { notFound } from "../../errors";

/**
 * A task reached through a project-scoped alias. The caller's role in the project was checked by the
 * procedure; a task of another project (or of none) is 404 here, as if it did not exist.
 */
export async function loadProjectTask(db: Executor, projectId: string, taskId: string) {
  const row = await db.query.tasks.findFirst({
    where: and(eq(schema.tasks.id, taskId), eq(schema.tasks.projectId, projectId)),
  });
  if (!row) throw notFound("Task");
  return row;
}
