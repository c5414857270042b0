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
import type { Context } from "../../context";
import { consumeRateLimit } from "../../lib/rate-limits";
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

export async function startTaskRun(
  ctx: Context & { viewer: NonNullable<Context["viewer"]> },
  task: TaskRow,
  input: Omit<StartRunInput, "taskId" | "userId">,
) {
  await consumeRateLimit(ctx.limiters.taskStart, `user:${ctx.viewer.user.id}`, ctx.resHeaders);
  const run = await startRun(ctx.engine, { ...input, taskId: task.id, userId: ctx.viewer.user.id });
  return { task: await reloadTaskDetail(ctx.db, task.id), run: runSummary(run) };
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

export async function cancelTaskRun(
  ctx: Context & { viewer: NonNullable<Context["viewer"]> },
  task: TaskRow,
) {
  const { run, abortedCalls } = await cancelRun(ctx.engine, task.id, ctx.viewer.user.id);
  return { task: await reloadTaskDetail(ctx.db, task.id), run: runSummary(run), abortedCalls };
}
