// Handing a task to one of its project's agents, or taking it back.
import { type Database, schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { reloadTaskDetail } from "./detail";
import type { TaskRow } from "./dto";
import { assertReferences } from "./references";

export async function assignTask(db: Database, task: TaskRow, agentId: string | null) {
  await assertReferences(db, task.projectId, [{ field: "agentId", kind: "agent", id: agentId }]);
  await db.update(schema.tasks).set({ assignedToAgentId: agentId }).where(eq(schema.tasks.id, task.id));
  return reloadTaskDetail(db, task.id);
}
