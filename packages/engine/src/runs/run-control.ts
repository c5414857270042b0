// Moving a run from outside its steps: fail, pause, resume, cancel. Each is one transaction over the
// run, its steps and its task, then the events and, for cancel and pause, the abort of the running call.
import { schema } from "@crewdeck/db";
import { ACTIVE_RUN_STATUSES } from "@crewdeck/domain";
import { and, eq } from "drizzle-orm";
import type { Engine } from "../engine";
import type { EngineDeps } from "../engine-deps";
import { EngineError } from "../errors";
import { taskScope } from "../events/scopes";
import { loadTask, publishRunState } from "./run-events";
import { logRun } from "./run-log";
import { noticeToStarter } from "./run-notices";
import { moveRuns, moveSteps, moveTask } from "./status-moves";

async function finishMessages(engine: EngineDeps, runId: string, status: "cancelled" | "error") {
  await engine.db
    .update(schema.messages)
    .set({ status })
    .where(and(eq(schema.messages.runId, runId), eq(schema.messages.status, "streaming")));
}

/** Ends the run as failed, with the reason on the run, the step and the task; tells the person who started it. */
export async function failRun(
  engine: EngineDeps,
  runId: string,
  reason: string,
  code?: string,
): Promise<void> {
  const now = engine.now();
  const run = await engine.db.transaction(async (tx) => {
    const [row] = await moveRuns(tx, eq(schema.runs.id, runId), ACTIVE_RUN_STATUSES, "failed", {
      error: reason,
      completedAt: now,
    });
    if (!row) return null;
    await moveSteps(tx, eq(schema.runSteps.runId, runId), ["running"], "failed", {
      error: reason,
      completedAt: now,
    });
    await moveTask(tx, row.taskId, "failed");
    await logRun(tx, runId, `Run failed: ${reason}`, "error");
    return row;
  });
  if (!run) return;
  await finishMessages(engine, runId, "error");
  const task = await loadTask(engine.db, run.taskId);
  if (!task) return;
  await engine.bus.publish({
    type: "error",
    scope: taskScope(task),
    payload: { code: code ?? "RUN_FAILED", message: reason, details: { taskId: task.id, runId } },
  });
  await publishRunState(engine, runId, `Run failed: ${reason}`);
  await noticeToStarter(engine, run, task, {
    type: "run_failed",
    severity: "warning",
    title: `“${task.title}” failed`,
    message: reason,
  });
}

/** Stops the run at a safe point; the step under way goes back to pending and keeps its checkpoint. */
export async function pauseRun(engine: EngineDeps, runId: string, reason: string): Promise<boolean> {
  const paused = await engine.db.transaction(async (tx) => {
    const [row] = await moveRuns(tx, eq(schema.runs.id, runId), ["queued", "running"], "paused", { reason });
    if (!row) return null;
    await moveSteps(tx, eq(schema.runSteps.runId, runId), ["running"], "pending");
    await logRun(tx, runId, `Run paused: ${reason}`, "warn");
    return row;
  });
  if (!paused) return false;
  await publishRunState(engine, runId, `Paused: ${reason}`);
  const task = await loadTask(engine.db, paused.taskId);
  if (task) {
    await noticeToStarter(engine, paused, task, {
      type: "run_stopped",
      severity: "warning",
      title: `“${task.title}” was stopped`,
      message: reason,
    });
  }
  return true;
}

/** Picks a paused run up again at the step it stopped on. */
export async function resumeRun(engine: Engine, runId: string, why: string): Promise<boolean> {
  const [row] = await moveRuns(engine.db, eq(schema.runs.id, runId), ["paused"], "queued", { reason: null });
  if (!row) return false;
  await logRun(engine.db, runId, `Run resumed: ${why}`);
  await publishRunState(engine, runId, "Resumed");
  engine.steps.enqueue({ runId, stepIndex: row.currentStep });
  return true;
}

/**
 * Paused runs whose current agent may work again (after an agent or an emergency stop is lifted).
 * Returns how many were resumed.
 */
export async function resumePausedRuns(
  engine: Engine,
  scope: { projectId?: string | null; agentId?: string },
  why: string,
) {
  const conditions = [eq(schema.runs.status, "paused")];
  if (scope.projectId) conditions.push(eq(schema.runs.projectId, scope.projectId));
  if (scope.agentId) conditions.push(eq(schema.runSteps.agentId, scope.agentId));
  const runs = await engine.db
    .select({ id: schema.runs.id, agentStatus: schema.agents.status })
    .from(schema.runs)
    .innerJoin(
      schema.runSteps,
      and(eq(schema.runSteps.runId, schema.runs.id), eq(schema.runSteps.stepIndex, schema.runs.currentStep)),
    )
    .leftJoin(schema.agents, eq(schema.agents.id, schema.runSteps.agentId))
    .where(and(...conditions));
  let resumed = 0;
  for (const run of runs) {
    if (run.agentStatus === "paused") continue;
    if (await resumeRun(engine, run.id, why)) resumed += 1;
  }
  return resumed;
}

/** Cancels the task's active run and aborts its model call at once. */
export async function cancelRun(engine: Engine, taskId: string, userId: string) {
  const now = engine.now();
  const run = await engine.db.transaction(async (tx) => {
    const [row] = await moveRuns(tx, eq(schema.runs.taskId, taskId), ACTIVE_RUN_STATUSES, "cancelled", {
      reason: "Cancelled by a person",
      completedAt: now,
    });
    if (!row) return null;
    await moveSteps(tx, eq(schema.runSteps.runId, row.id), ["pending", "running"], "cancelled", {
      completedAt: now,
    });
    await moveTask(tx, taskId, "cancelled");
    await logRun(tx, row.id, `Run cancelled by user ${userId}`, "warn");
    return row;
  });
  if (!run) throw new EngineError("CONFLICT", "The task has no active run to cancel");
  const abortedCalls = engine.calls.abort({ runId: run.id }, "cancelled");
  await finishMessages(engine, run.id, "cancelled");
  await publishRunState(engine, run.id, "Run cancelled");
  const task = await loadTask(engine.db, taskId);
  if (task) {
    await noticeToStarter(
      engine,
      run,
      task,
      {
        type: "run_cancelled",
        title: `“${task.title}” was cancelled`,
        message: "Someone cancelled the run you started.",
      },
      userId,
    );
  }
  return { run, abortedCalls };
}
