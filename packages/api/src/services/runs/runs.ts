// Runs as the tasks API serves them (§2.7): start, the light status poll, the orchestration view, cancel.

import { type Executor, iso, schema } from "@crewdeck/db";
import {
  cancelRun,
  latestRun,
  loadRunView,
  type StartRunInput,
  startRun,
  taskProgress,
} from "@crewdeck/engine";
import { asc, eq } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import type { Actor } from "../../lib/viewer";
import { reloadTaskDetail } from "../tasks/detail";

type TaskRow = typeof schema.tasks.$inferSelect;
type RunRow = typeof schema.runs.$inferSelect;

const runSummary = (run: RunRow) => ({
  id: run.id,
  status: run.status,
  pipeline: run.pipeline,
  totalSteps: run.totalSteps,
  currentStep: run.currentStep,
});

type RunDeps = Pick<ApiDeps, "db" | "engine">;

/** Starts the task's run for `actor`. Per-person rate limits are the caller's (a request's, not a job's). */
export async function startTaskRun(
  { db, engine }: RunDeps,
  actor: Actor,
  task: TaskRow,
  input: Omit<StartRunInput, "taskId" | "userId">,
) {
  const run = await startRun(engine, { ...input, taskId: task.id, userId: actor.userId });
  return { task: await reloadTaskDetail(db, task.id), run: runSummary(run) };
}

async function currentAgent(db: Executor, run: RunRow | null) {
  if (!run) return null;
  const agentId = run.pipeline[run.currentStep];
  if (!agentId) return null;
  const agent = await db.query.agents.findFirst({
    columns: { id: true, name: true, role: true },
    where: eq(schema.agents.id, agentId),
  });
  return agent ?? null;
}

export async function taskRunStatus(db: Executor, task: TaskRow) {
  const run = await latestRun(db, task.id);
  return {
    taskId: task.id,
    status: task.status,
    runStatus: run?.status ?? null,
    progress: await taskProgress(db, task.id),
    currentAgent:
      run && (run.status === "running" || run.status === "queued" || run.status === "paused")
        ? await currentAgent(db, run)
        : null,
    isComplete: task.status === "completed" || run?.status === "completed",
    isFailed: task.status === "failed" || run?.status === "failed" || run?.status === "interrupted",
    lastUpdate: iso(run && run.updatedAt > task.updatedAt ? run.updatedAt : task.updatedAt),
  };
}

export async function taskOrchestration(db: Executor, task: TaskRow) {
  const run = await latestRun(db, task.id);
  if (!run) return { taskId: task.id, run: null, steps: [], logs: [] };
  const { steps, ...view } = await loadRunView(db, run);
  const logs = await db
    .select()
    .from(schema.runLogs)
    .where(eq(schema.runLogs.runId, run.id))
    .orderBy(asc(schema.runLogs.createdAt), asc(schema.runLogs.id));
  return {
    taskId: task.id,
    run: view,
    steps,
    logs: logs.map((l) => ({ id: l.id, level: l.level, message: l.message, createdAt: iso(l.createdAt) })),
  };
}

export async function cancelTaskRun({ db, engine }: RunDeps, actor: Actor, task: TaskRow) {
  const { run, abortedCalls } = await cancelRun(engine, task.id, actor.userId);
  return { task: await reloadTaskDetail(db, task.id), run: runSummary(run), abortedCalls };
}
