// The run's log: what the engine did and why (retries, pauses, resumes), for the orchestration view.
import { type Executor, schema } from "@crewdeck/db";

export async function logRun(
  db: Executor,
  runId: string,
  message: string,
  level: schema.RunLogLevel = "info",
): Promise<void> {
  await db.insert(schema.runLogs).values({ runId, level, message });
}
