// Start-up recovery: runs that were under way when the process stopped go on from the step they were on,
// or are marked interrupted with the reason. Finished steps never run again; their calls are never charged
// again (each call's usage row is settled with the step's checkpoint), and the call a crash cut off is charged
// at its estimate. A step is
// taken over only from a process whose lease on it is gone (step-lease.ts).
import { schema } from "@crewdeck/db";
import { and, eq, inArray } from "drizzle-orm";
import { closeStepReservations } from "../budgets";
import type { Engine } from "../engine";
import { transactionWithEvents } from "../events/outbox";
import { taskScope } from "../events/scopes";
import { loadTask, publishRunState } from "./run-events";
import { logRun } from "./run-log";
import { moveRuns, moveSteps, moveTask } from "./status-moves";
import type { RunRow, StepRow } from "./step-context";
import { heldBy, leaseFields, leaseLapsed, ownerIsGone } from "./step-lease";

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
    // A step another process still holds (its lease alive) is counted as resumed: it goes on there, or
    // here once that lease runs out.
    if ((await takeOverStep(engine, run, step)) === "interrupted") interrupted += 1;
    else resumed += 1;
  }
  return { resumed, interrupted };
}

/**
 * Picks up a run's current step left by a process that stopped: a running step is taken over only when its
 * lease has run out or its owner is certainly gone (`ownerIsGone`); while another process may still hold it,
 * the step is looked at again when the lease would expire. Returns what became of the step.
 */
export async function takeOverStep(
  engine: Engine,
  run: RunRow,
  step: StepRow,
): Promise<"resumed" | "interrupted" | "held"> {
  const job = { runId: run.id, stepIndex: step.stepIndex };
  if (step.status === "running") {
    // One conditional UPDATE on the lease as it was read: of two processes taking over, one gets it.
    const [taken] = await engine.db
      .update(schema.runSteps)
      .set(leaseFields(engine.leases))
      .where(
        and(
          heldBy(step),
          eq(schema.runSteps.status, "running"),
          ownerIsGone(step.leaseOwner) ? undefined : leaseLapsed(),
        ),
      )
      .returning();
    if (!taken) {
      const expiresAt = step.leaseExpiresAt?.getTime() ?? 0;
      const { leaseMs, heartbeatMs } = engine.leases;
      const delayMs = Math.min(leaseMs, Math.max(heartbeatMs, expiresAt - engine.now().getTime() + 50));
      engine.steps.enqueue(job, { delayMs });
      return "held";
    }
    step = taken;
  }
  // The call that died with the process may have been billed: its pending usage row is charged at the
  // reservation's estimate, and the hold ends.
  await closeStepReservations(engine.db, step.id);
  const reason =
    step.attempts >= MAX_STEP_ATTEMPTS
      ? `Step ${step.stepIndex + 1} was interrupted ${step.attempts} times; not trying again`
      : await providerProblem(engine, step.agentId);
  if (reason) {
    await interruptRun(engine, run.id, reason);
    return "interrupted";
  }
  await engine.db.transaction(async (tx) => {
    await moveSteps(tx, heldBy(step), ["running"], "pending");
    await logRun(tx, run.id, `Server restarted; resuming at step ${step.stepIndex + 1}`, "warn");
  });
  engine.steps.enqueue(job);
  return "resumed";
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
  // The interruption and its announcement commit together: a run is never shown going on that stopped.
  await transactionWithEvents(engine, async (tx, events) => {
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
    const task = await loadTask(tx, row.taskId);
    if (task) {
      await events.publish({
        type: "error",
        scope: taskScope(task),
        payload: { code: "RUN_INTERRUPTED", message: reason, details: { taskId: task.id, runId } },
      });
    }
    await publishRunState({ db: tx, bus: events }, runId, `Interrupted: ${reason}`, {
      run: row,
      task: task ?? undefined,
    });
  });
}
