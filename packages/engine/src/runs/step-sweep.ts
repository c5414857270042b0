// Recovery on a queue (QUEUE_URL), in place of re-enqueueing every run at start-up: every so often, each
// process queues the current step of every active run that nobody is working on (pending, or running under
// a lease that has run out or whose owner is gone). Job ids make a step already queued or under way a no-op,
// and the step's lease decides who runs it, so any number of processes may sweep at once.
import { schema } from "@crewdeck/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Engine } from "../engine";
import type { StepJob } from "./step-executor";
import { leaseLapsed, ownerIsGone } from "./step-lease";

const s = schema.runSteps;
const r = schema.runs;

export async function queueStrandedSteps(engine: Engine): Promise<number> {
  const rows = await engine.db
    .select({
      runId: s.runId,
      stepIndex: s.stepIndex,
      status: s.status,
      leaseOwner: s.leaseOwner,
      // Judged by the database's clock, as every lease is.
      lapsed: sql<number>`(${leaseLapsed()})`,
    })
    .from(r)
    .innerJoin(s, and(eq(s.runId, r.id), eq(s.stepIndex, r.currentStep)))
    .where(and(inArray(r.status, ["queued", "running"]), inArray(s.status, ["pending", "running"])));
  let queued = 0;
  for (const row of rows) {
    if (row.status === "running" && !row.lapsed && !ownerIsGone(row.leaseOwner)) continue;
    engine.steps.enqueue({ runId: row.runId, stepIndex: row.stepIndex });
    queued += 1;
  }
  return queued;
}

/** Whether the step a job ran is still the run's next thing to do (resumed meanwhile, or taken over here). */
export async function stepStillDue(engine: Engine, job: StepJob): Promise<boolean> {
  const [row] = await engine.db
    .select({ status: s.status })
    .from(r)
    .innerJoin(s, and(eq(s.runId, r.id), eq(s.stepIndex, r.currentStep)))
    .where(
      and(eq(r.id, job.runId), eq(r.currentStep, job.stepIndex), inArray(r.status, ["queued", "running"])),
    );
  return row?.status === "pending";
}
