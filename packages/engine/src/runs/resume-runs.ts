// Start-up recovery: runs that were under way when the process stopped go on from the step they were on,
// or are marked interrupted with the reason. Finished steps never run again; their calls are never charged
// again (usage is keyed by the provider's message id and written with the step's checkpoint).
import { schema } from "@crewdeck/db";
import { and, eq, inArray } from "drizzle-orm";
import { releaseStepReservations } from "../budgets";
import type { Engine } from "../engine";
import { taskScope } from "../events/scopes";
import { loadTask, publishRunState } from "./run-events";
import { logRun } from "./run-log";
import { moveRuns, moveSteps, moveTask } from "./status-moves";

/** A step that keeps dying with the process (say, a prompt that crashes it) is not tried forever. */
export const MAX_STEP_ATTEMPTS = 3;

export async function resumeInterruptedRuns(
  engine: Engine,
): Promise<{ resumed: number; interrupted: number }> {
  const runs = await engine.db
    .select()
    .from(schema.runs)
    .where(inArray(schema.runs.status, ["queued", "running"]));
  let resumed = 0;
  let interrupted = 0;
  for (const run of runs) {
    const step = await engine.db.query.runSteps.findFirst({
      where: and(eq(schema.runSteps.runId, run.id), eq(schema.runSteps.stepIndex, run.currentStep)),
    });
    if (!step) continue;
    // The hold of the call that died with the process; that call was never recorded, so never charged.
    await releaseStepReservations(engine.db, step.id);
    const reason =
      step.attempts >= MAX_STEP_ATTEMPTS
        ? `Step ${step.stepIndex + 1} was interrupted ${step.attempts} times; not trying again`
        : await providerProblem(engine, step.agentId);
    if (reason) {
      await interruptRun(engine, run.id, reason);
      interrupted += 1;
      continue;
    }
    await engine.db.transaction(async (tx) => {
      await moveSteps(tx, eq(schema.runSteps.id, step.id), ["running"], "pending");
      await logRun(tx, run.id, `Server restarted; resuming at step ${step.stepIndex + 1}`, "warn");
    });
    engine.steps.enqueue({ runId: run.id, stepIndex: run.currentStep });
    resumed += 1;
  }
  return { resumed, interrupted };
}

async function providerProblem(engine: Engine, agentId: string | null): Promise<string | null> {
  if (!agentId) return null;
  const agent = await engine.db.query.agents.findFirst({ where: eq(schema.agents.id, agentId) });
  if (!agent) return null;
  const model = await engine.db.query.models.findFirst({
    where: eq(schema.models.id, agent.modelConfig.model),
  });
  if (!model) return `The model ${agent.modelConfig.model} is no longer in the catalog`;
  try {
    await engine.providers.get(model.provider);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function interruptRun(engine: Engine, runId: string, reason: string) {
  const now = engine.now();
  const run = await engine.db.transaction(async (tx) => {
    const [row] = await moveRuns(tx, eq(schema.runs.id, runId), ["queued", "running"], "interrupted", {
      reason,
      completedAt: now,
    });
    if (!row) return null;
    await moveSteps(tx, eq(schema.runSteps.runId, runId), ["running"], "failed", { error: reason });
    await tx
      .update(schema.messages)
      .set({ status: "error" })
      .where(and(eq(schema.messages.runId, runId), eq(schema.messages.status, "streaming")));
    await moveTask(tx, row.taskId, "failed");
    await logRun(tx, runId, `Run interrupted: ${reason}`, "error");
    return row;
  });
  if (!run) return;
  const task = await loadTask(engine.db, run.taskId);
  if (task) {
    await engine.bus.publish({
      type: "error",
      scope: taskScope(task),
      payload: { code: "RUN_INTERRUPTED", message: reason, details: { taskId: task.id, runId } },
    });
  }
  await publishRunState(engine, runId, `Interrupted: ${reason}`);
}
