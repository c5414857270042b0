// Executes one step of a run, as the step executor hands it over: checks the run, the step and its agent
// are still meant to go on, claims the step (its message created once, kept across resumes), then runs its
// model turns (step-turns.ts). A step that throws fails its run.
import { preparedOn, schema } from "@crewdeck/db";
import { and, eq, sql } from "drizzle-orm";
import { openStepWorkspace } from "../code/task-workspace";
import { publishMessage } from "../conversations/message-events";
import type { Engine } from "../engine";
import { EngineError } from "../errors";
import { transactionWithEvents } from "../events/outbox";
import { taskScope } from "../events/scopes";
import { takeOverStep } from "./resume-runs";
import { failRun, pauseRun } from "./run-control";
import { publishRunState, setAgentWorking } from "./run-events";
import { logRun } from "./run-log";
import { moveRuns, moveSteps } from "./status-moves";
import type { AgentRow, RunRow, StepRow, TaskRow } from "./step-context";
import type { StepJob } from "./step-executor";
import { leaseFields, StepLeaseLost } from "./step-lease";
import { runStepTurns } from "./step-turns";

/** The run, the step, its task and its agent in one statement (null where a row is missing). */
const stepRows = preparedOn((db) =>
  db
    .select({ run: schema.runs, step: schema.runSteps, task: schema.tasks, agent: schema.agents })
    .from(schema.runs)
    .leftJoin(
      schema.runSteps,
      and(
        eq(schema.runSteps.runId, schema.runs.id),
        eq(schema.runSteps.stepIndex, sql.placeholder("stepIndex")),
      ),
    )
    .leftJoin(schema.tasks, eq(schema.tasks.id, schema.runs.taskId))
    .leftJoin(schema.agents, eq(schema.agents.id, schema.runSteps.agentId))
    .where(eq(schema.runs.id, sql.placeholder("runId")))
    .prepare(),
);

const loadStepRows = (engine: Engine, job: StepJob) =>
  stepRows(engine.db).get({ runId: job.runId, stepIndex: job.stepIndex });

export async function executeStep(engine: Engine, job: StepJob): Promise<void> {
  const rows = await loadStepRows(engine, job);
  const run = rows?.run;
  if (!run || (run.status !== "queued" && run.status !== "running")) return;
  const step = rows.step;
  if (!step || (step.status !== "pending" && step.status !== "running")) return;
  // Left running by a process that may be gone (or enqueued twice): taken over only once its lease is.
  if (step.status === "running") {
    await takeOverStep(engine, run, step);
    return;
  }
  const task = rows.task;
  if (!task) return;
  const agent = rows.agent;
  if (!agent) {
    await failRun(engine, run.id, `The agent of step ${step.stepIndex + 1} (${step.role}) was deleted`);
    return;
  }
  if (agent.status === "paused") {
    await pauseRun(engine, run.id, `${agent.name} is paused`);
    return;
  }
  const claimed = await claimStep(engine, run, step, task, agent);
  // Someone paused or cancelled the run between reading the step and claiming it: their decision stands.
  if (!claimed) return;
  const lease = engine.leases.hold(engine, claimed);
  await setAgentWorking(engine, agent.id, true, task.id);
  // A completed step's lease was cleared with its completion: nothing is left to release.
  let completed = false;
  try {
    const workspace = await openStepWorkspace(engine, { run, task, agent });
    completed = await runStepTurns(engine, {
      run,
      step: claimed,
      task,
      agent,
      workspace,
      leaseLost: lease.signal,
    });
  } catch (error) {
    // Another process took the step over (this one stalled past its lease): the step is theirs now, and
    // nothing this attempt does may end it.
    if (error instanceof StepLeaseLost || lease.signal.aborted) {
      engine.logger.info(`Step ${step.stepIndex} of run ${run.id}: lease lost, left to its new owner`);
      return;
    }
    const message = error instanceof EngineError ? error.message : "The step failed unexpectedly";
    if (!(error instanceof EngineError))
      engine.logger.error(`Step ${step.stepIndex} of run ${run.id} failed`, error);
    await failRun(engine, run.id, message, error instanceof EngineError ? error.code : undefined);
  } finally {
    await lease.release({ cleared: completed });
    await setAgentWorking(engine, agent.id, false, null);
  }
}

/** Thrown inside the claim's transaction to roll it back when the run moved on since it was read. */
class StepNotClaimed extends Error {}

/** Marks the step running (its message created once, kept across resumes) and the run on this step. */
async function claimStep(engine: Engine, run: RunRow, step: StepRow, task: TaskRow, agent: AgentRow) {
  const now = engine.now();
  const fresh = !step.messageId;
  // The claim, the step's new message and the run's new state are announced in the claim's transaction:
  // a claim rolled back announces nothing, and one committed is announced even if this process dies next.
  const claimed = await transactionWithEvents(engine, async (tx, events) => {
    let messageId = step.messageId;
    if (!messageId && task.conversationId) {
      const [message] = await tx
        .insert(schema.messages)
        .values({
          conversationId: task.conversationId,
          authorType: "agent",
          agentId: agent.id,
          content: "",
          status: "streaming",
          model: agent.modelConfig.model,
          runId: run.id,
          runStepId: step.id,
        })
        .returning({ id: schema.messages.id });
      messageId = message?.id ?? null;
    }
    // The lease: one conditional UPDATE of the pending step as it was read (its attempt counter), so of two
    // processes (or two enqueues) that read the same step exactly one gets it, and a step never runs twice
    // at once. A running step reaches here only after `takeOverStep` found its lease gone.
    const sameAttempt = and(eq(schema.runSteps.id, step.id), eq(schema.runSteps.attempts, step.attempts));
    const [row] = await moveSteps(tx, sameAttempt, ["pending"], "running", {
      attempts: sql`${schema.runSteps.attempts} + 1`,
      startedAt: step.startedAt ?? now,
      messageId,
      ...leaseFields(engine.leases),
    });
    const [claimedRun] = await moveRuns(tx, eq(schema.runs.id, run.id), ["queued", "running"], "running", {
      currentStep: step.stepIndex,
      startedAt: run.startedAt ?? now,
      reason: null,
    });
    // Paused, cancelled or failed since the step was read: that decision stands, and the claim (its
    // message included) is rolled back rather than waking the run up again.
    if (!row || !claimedRun) throw new StepNotClaimed();
    await logRun(
      tx,
      run.id,
      step.attempts > 0
        ? `Step ${step.stepIndex + 1} (${agent.name}) resumed, attempt ${step.attempts + 1}`
        : `Step ${step.stepIndex + 1} (${agent.name}) started`,
    );
    const announce = { db: tx, bus: events };
    if (fresh && messageId) await publishMessage(announce, taskScope(task), messageId);
    await publishRunState(
      announce,
      run.id,
      `${agent.name} is working on step ${step.stepIndex + 1} of ${run.totalSteps}`,
      { run: claimedRun, task },
    );
    return row as StepRow;
  }).catch((error: unknown) => {
    if (error instanceof StepNotClaimed) return null;
    throw error;
  });
  return claimed;
}
