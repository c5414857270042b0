// The lease on a run step with two engines over one database, as two server processes would be: only one
// runs a step, a step whose owner stopped renewing its lease is taken over once it expires and goes on from
// its checkpoint, and a process that lost the lease can neither checkpoint nor complete the step.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CONTRACT_ANSWER, freshRunWorldForEachTest, type RunWorld, STEP_LEASE } from "../testing/run-world";
import { finishStep } from "./finish-step";
import { resumeInterruptedRuns } from "./resume-runs";
import { saveCheckpoint } from "./step-checkpoint";
import { StepLeaseLost } from "./step-lease";
import { INTERRUPTED_TOOL_RESULT } from "./tool-calls";

let world: RunWorld;
freshRunWorldForEachTest((w) => {
  world = w;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a step's lease", () => {
  it("lets exactly one of two engines run a step both were handed", async () => {
    const other = world.startEngine();
    const task = await world.task();
    world.fake.enqueue({ id: "msg_once", text: CONTRACT_ANSWER }, { id: "msg_twice", text: CONTRACT_ANSWER });

    const run = await world.start(task.id);
    other.steps.enqueue({ runId: run.id, stepIndex: 0 });
    await Promise.all([world.settle(), other.steps.idle()]);

    expect(world.modelCalls()).toHaveLength(1);
    const [step] = await world.read.steps(run.id);
    expect(step).toMatchObject({ status: "completed", attempts: 1, leaseOwner: null, leaseExpiresAt: null });
    expect((await world.read.usage(run.id)).map((u) => u.providerMessageId)).toEqual(["msg_once"]);
    expect((await world.read.logs(run.id)).filter((l) => l.message.startsWith("Step 1"))).toHaveLength(2);
  });

  it("is kept by a live owner, and taken over once its owner stops renewing it, from the checkpoint", async () => {
    const task = await world.task();
    const hung = world.fake.hold(() => false);
    world.fake.enqueue(
      { id: "msg_turn_1", toolUses: [{ id: "toolu_1", name: "think", input: { thought: "plan" } }] },
      { text: ["Partial ", "answer"], gate: hung },
      { id: "msg_turn_2", text: CONTRACT_ANSWER },
    );
    const run = await world.start(task.id);
    await hung.reached;

    // A second process starts while the first is alive: it leaves the step to its owner.
    const second = world.startEngine();
    expect(await resumeInterruptedRuns(second)).toEqual({ resumed: 1, interrupted: 0 });
    await sleep(STEP_LEASE.leaseMs * 1.5);
    const [kept] = await world.read.steps(run.id);
    expect(kept).toMatchObject({ status: "running", attempts: 1, leaseOwner: world.engine.leases.owner });
    expect(world.modelCalls()).toHaveLength(2);

    // The owner stops renewing (its process hangs or dies): the second takes over once the lease ran out.
    world.engine.leases.stop();
    await second.steps.idle();

    const calls = world.modelCalls();
    expect(calls).toHaveLength(3);
    expect(calls[2]!.body.messages).toEqual(calls[1]!.body.messages);
    const [step] = await world.read.steps(run.id);
    expect(step).toMatchObject({
      status: "completed",
      attempts: 2,
      output: CONTRACT_ANSWER,
      leaseOwner: null,
    });
    const logs = (await world.read.logs(run.id)).map((l) => l.message);
    expect(logs).toContain("Server restarted; resuming at step 1");
    expect(logs).toContain("Step 1 (Ada) resumed, attempt 2");
  });

  it("fences a process that lost it: no checkpoint, no completion, and it stops without failing the run", async () => {
    let finishSlowWrite = () => {};
    const slowWriteDone = new Promise<void>((resolve) => {
      finishSlowWrite = resolve;
    });
    let slowWriteStarted = () => {};
    const started = new Promise<void>((resolve) => {
      slowWriteStarted = resolve;
    });
    world.engine.tools.register({
      name: "slow_write",
      description: "Writes, slowly",
      input: z.object({}),
      roles: "all",
      // Ignores the abort, as a tool stuck in a system call would: its result arrives after the takeover.
      execute: async () => {
        slowWriteStarted();
        await slowWriteDone;
        return { content: "written by the first process" };
      },
    });
    const task = await world.task();
    const secondTurn = world.fake.hold(() => false);
    world.fake.enqueue(
      { id: "msg_tools", toolUses: [{ id: "toolu_1", name: "slow_write", input: {} }] },
      { id: "msg_answer", text: CONTRACT_ANSWER, gate: secondTurn },
    );
    const run = await world.start(task.id);
    await started;
    const [first] = await world.read.steps(run.id);
    const lostLease = { id: first!.id, leaseOwner: first!.leaseOwner, attempts: first!.attempts };

    await world.crash(world.engine);
    const second = world.startEngine();
    expect(await resumeInterruptedRuns(second)).toEqual({ resumed: 1, interrupted: 0 });
    await secondTurn.reached;
    const [taken] = await world.read.steps(run.id);
    expect(taken).toMatchObject({ status: "running", attempts: 2, leaseOwner: second.leases.owner });

    // The first process comes back to life: its tool result, its checkpoint and its completion go nowhere.
    finishSlowWrite();
    await world.settle();
    await expect(saveCheckpoint(world.engine, lostLease, taken!.checkpoint as never)).rejects.toBeInstanceOf(
      StepLeaseLost,
    );
    await finishStep(world.engine, {
      runId: run.id,
      stepId: first!.id,
      lease: lostLease,
      output: "the lost process's answer",
      text: "",
    });
    const [still] = await world.read.steps(run.id);
    expect(still).toMatchObject({ status: "running", leaseOwner: second.leases.owner, output: null });
    expect(still!.checkpoint).toEqual(taken!.checkpoint);
    expect(JSON.stringify(still!.checkpoint)).not.toContain("written by the first process");
    expect((await world.read.run(run.id))?.status).toBe("running");

    secondTurn.release();
    await second.steps.idle();
    const [step] = await world.read.steps(run.id);
    expect(step).toMatchObject({ status: "completed", attempts: 2, output: CONTRACT_ANSWER });
    const last = world.modelCalls().at(-1)!.body.messages.at(-1);
    expect(last.content).toEqual([
      expect.objectContaining({ tool_use_id: "toolu_1", content: INTERRUPTED_TOOL_RESULT, is_error: true }),
    ]);
    const logs = await world.read.logs(run.id);
    expect(logs.filter((l) => l.level === "error")).toEqual([]);
    const rows = await world.db.query.runSteps.findMany({ where: eq(schema.runSteps.runId, run.id) });
    expect(rows).toHaveLength(1);
  });
});
