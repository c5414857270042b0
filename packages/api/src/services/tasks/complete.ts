// A person declaring a task done, whatever stage its agents reached.
import { type Database, schema } from "@crewdeck/db";
import { and, eq, notInArray } from "drizzle-orm";
import { conflict } from "../../errors";
import { reloadTaskDetail } from "./detail";
import type { TaskRow } from "./dto";

/** Completed is already done and cancelled was given up on; reopen a cancelled task before completing it. */
const CANNOT_COMPLETE: schema.TaskStatus[] = ["completed", "cancelled"];

export async function completeTask(db: Database, task: TaskRow) {
  const refused = () =>
    conflict(`A ${task.status} task cannot be completed`, { from: task.status, to: "completed" });
  if (CANNOT_COMPLETE.includes(task.status)) throw refused();
  const updated = await db
    .update(schema.tasks)
    .set({ status: "completed", completedAt: new Date() })
    .where(and(eq(schema.tasks.id, task.id), notInArray(schema.tasks.status, CANNOT_COMPLETE)))
    .returning({ id: schema.tasks.id });
  // Someone completed or cancelled it meanwhile.
  if (updated.length === 0) throw refused();
  return reloadTaskDetail(db, task.id);
}
