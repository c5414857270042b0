// A step's end: its output stored, its message completed, and the next step handed over, or the run
// finished with the final step's output as the task's result.
import { microsToUsd, schema } from "@crewdeck/db";
import { eq, sql, sum } from "drizzle-orm";
import { deliverRunChanges } from "../code/deliver-changes";
import { publishMessage } from "../conversations/message-events";
import type { Engine } from "../engine";
import { taskScope } from "../events/scopes";
import { loadTask, publishRunState } from "./run-events";
import { logRun } from "./run-log";
import { noticeToStarter } from "./run-notices";
import { moveRuns, moveSteps, moveTask } from "./status-moves";
import { heldBy, type LeaseToken, noLease } from "./step-lease";

export type FinishStepInput = {
  runId: string;
  stepId: string;
  /** The lease the step was claimed with: only its holder may complete the step. */
  lease: LeaseToken;
  output: string;
  text: string;
  /** Where the step stands in its run, when the caller knows (a run's length never changes): not read again. */
  position?: { stepIndex: number; totalSteps: number };
};

/** Completes the step; true when this call did (false: it was cancelled, paused or taken over meanwhile). */
export async function finishStep(engine: Engine, input: FinishStepInput): Promise<boolean> {
  // The run's last step delivers what the crew changed (commit, push, pull request) before the run ends,
  // so the run's and the task's result name the pull request. Idempotent when a crash repeats it.
  const pullRequest = (await isLastStep(engine, input))
    ? await deliverRunChanges(engine, input.runId, { stepId: input.stepId, output: input.output })
    : null;
  const now = engine.now();
  const outcome = await engine.db.transaction(async (tx) => {
    const s = schema.runSteps;
    // Its lease ends with it (the attempt then has nothing to release), and its duration is the database's
    // own start time against now: one statement.
    const [step] = await moveSteps(tx, heldBy(input.lease), ["running"], "completed", {
      output: input.output,
      completedAt: now,
      checkpoint: null,
      durationMs: sql`case when ${s.startedAt} is null then null else ${now.getTime()} - ${s.startedAt} end`,
      ...noLease,
    });
    // Cancelled or paused while the last call was finishing (that decision stands), or taken over by another
    // process (the step is theirs to finish).
    if (!step) return null;
    const durationMs = step.durationMs;
    if (step.messageId) {
      await tx
        .update(schema.messages)
        .set({ status: "complete", content: input.text.trim() ? input.text : input.output })
        .where(eq(schema.messages.id, step.messageId));
    }
    // The run moves on to the next step, if there is one; its row comes back either way.
    const r = schema.runs;
    const next = step.stepIndex + 1;
    const [run] = await tx
      .update(r)
      .set({ currentStep: sql`case when ${next} < ${r.totalSteps} then ${next} else ${r.currentStep} end` })
      .where(eq(r.id, input.runId))
      .returning();
    if (!run) return null;
    const last = next >= run.totalSteps;
    await logRun(tx, run.id, `Step ${step.stepIndex + 1} completed in ${durationMs ?? 0} ms`);
    if (!last) return { step, run, last };
    const result: schema.TaskResult = pullRequest
      ? {
          type: "pull_request",
          pullRequestId: pullRequest.id,
          pullRequestUrl: pullRequest.url,
          output: input.output,
        }
      : { type: "output", output: input.output };
    const [completed] = await moveRuns(tx, eq(r.id, run.id), ["running"], "completed", {
      completedAt: now,
      result,
    });
    // The crew is done; a person reviews the result and completes the task (POST /tasks/{id}/complete).
    // A task a person completed during the run stays completed, and still gets the result.
    if (!(await moveTask(tx, run.taskId, "review", { result }))) {
      await tx.update(schema.tasks).set({ result }).where(eq(schema.tasks.id, run.taskId));
    }
    await logRun(tx, run.id, "Run completed");
    return { step, run: completed ?? run, last };
  });
  if (!outcome) return false;
  const { step, run, last } = outcome;
  const task = await loadTask(engine.db, run.taskId);
  if (!task) return true;
  if (step.messageId) await publishMessage(engine, taskScope(task), step.messageId);
  await publishRunState(
    engine,
    run.id,
    last ? "Run completed" : `Step ${step.stepIndex + 1} of ${run.totalSteps} done`,
    { run, task },
  );
  if (!last) {
    engine.steps.enqueue({ runId: run.id, stepIndex: step.stepIndex + 1 });
    return true;
  }
  const [usage] = await engine.db
    .select({
      tokens: sum(sql`${schema.usageRecords.inputTokens} + ${schema.usageRecords.outputTokens}`),
      cost: sum(schema.usageRecords.costMicros),
    })
    .from(schema.usageRecords)
    .where(eq(schema.usageRecords.runId, run.id));
  await engine.bus.publish({
    type: "task_completed",
    scope: taskScope(task),
    payload: {
      taskId: task.id,
      status: task.status,
      usage: { totalTokens: Number(usage?.tokens ?? 0), totalCostUsd: microsToUsd(Number(usage?.cost ?? 0)) },
      result: {
        type: pullRequest ? "pull_request" : "output",
        pullRequestUrl: pullRequest?.url ?? null,
        summary: step.output,
      },
    },
  });
  await noticeToStarter(engine, run, task, {
    type: "run_completed",
    title: `“${task.title}” is ready for review`,
    message: pullRequest
      ? `The crew finished and opened ${pullRequest.url}`
      : "The crew finished; its result is on the task.",
  });
  return true;
}

async function isLastStep(engine: Engine, input: FinishStepInput): Promise<boolean> {
  if (!engine.code) return false;
  const [row] = input.position
    ? [input.position]
    : await engine.db
        .select({ stepIndex: schema.runSteps.stepIndex, totalSteps: schema.runs.totalSteps })
        .from(schema.runSteps)
        .innerJoin(schema.runs, eq(schema.runs.id, schema.runSteps.runId))
        .where(eq(schema.runSteps.id, input.stepId));
  return row !== undefined && row.stepIndex + 1 >= row.totalSteps;
}
