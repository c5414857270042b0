// A step resumed after its process died: a second engine over the same database (the server started
// again) goes on from the step's checkpoint, so the finished call is neither sent nor charged again and
// the tool that ran is not run again.
import { expect, it } from "vitest";
import { CONTRACT_ANSWER, freshRunWorldForEachTest, type RunWorld } from "../testing/run-world";
import { lookupOrderTool } from "../testing/tools";
import { resumeInterruptedRuns } from "./resume-runs";

let world: RunWorld;
freshRunWorldForEachTest((w) => {
  world = w;
});

it("resumes a step from its checkpoint without re-sending a finished call or charging it twice, and charges the cut-off call at its estimate", async () => {
  const seen: unknown[] = [];
  const lookupOrder = lookupOrderTool(seen);
  world.engine.tools.register(lookupOrder);
  const task = await world.task("Look up order 42");
  // The second turn hangs mid-stream on the first engine: that engine stands for the process that died.
  const hung = world.fake.hold(() => false);
  world.fake.enqueue(
    {
      id: "msg_turn_1",
      text: "Let me look.",
      toolUses: [{ id: "toolu_1", name: "lookup_order", input: { id: "42" } }],
      usage: { input: 800, output: 40, cacheRead: 0, cacheWrite: 0 },
    },
    { text: ["Partial ", "answer"], gate: hung },
    {
      id: "msg_turn_2",
      text: CONTRACT_ANSWER,
      usage: { input: 900, output: 200, cacheRead: 0, cacheWrite: 0 },
    },
  );
  const run = await world.start(task.id);
  await hung.reached;
  const [interrupted] = await world.read.steps(run.id);
  expect(interrupted).toMatchObject({ status: "running", attempts: 1, checkpoint: { turns: 1 } });

  // The first engine's process is gone: its lease on the step runs out.
  await world.crash(world.engine);
  const restarted = world.startEngine();
  restarted.tools.register(lookupOrder);
  expect(await resumeInterruptedRuns(restarted)).toEqual({ resumed: 1, interrupted: 0 });
  await restarted.steps.idle();

  const calls = world.modelCalls();
  expect(calls).toHaveLength(3); // turn 1, turn 2 on the dead engine, turn 2 again
  expect(calls[2]!.body.messages).toEqual(calls[1]!.body.messages);
  expect(seen).toEqual([{ id: "42" }]);

  const [step] = await world.read.steps(run.id);
  expect(step).toMatchObject({
    status: "completed",
    attempts: 2,
    output: CONTRACT_ANSWER,
    tokensIn: 800 + 900,
    tokensOut: 40 + 200,
    checkpoint: null,
  });
  expect((await world.read.run(run.id))?.status).toBe("completed");
  const usage = await world.read.usage(run.id);
  // The call the dead engine had under way may have been billed: it is charged at its reservation.
  expect(usage.map((u) => [u.providerMessageId, u.outcome, u.status])).toEqual([
    ["msg_turn_1", "success", "settled"],
    [null, "interrupted", "estimated"],
    ["msg_turn_2", "success", "settled"],
  ]);
  expect(usage[1]!.costMicros).toBeGreaterThan(0);
  expect((await world.read.message(step!.messageId!))?.content).toBe(`Let me look.\n\n${CONTRACT_ANSWER}`);
  const logs = (await world.read.logs(run.id)).map((l) => l.message);
  expect(logs).toContain("Server restarted; resuming at step 1");
  expect(logs).toContain("Step 1 (Ada) resumed, attempt 2");
});
