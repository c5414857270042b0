// Cancelling a run from outside while its step's model call streams: the call is aborted at once, and the
// run, its steps, its task and its message end cancelled with the partial call metered as cancelled.
import { expect, it } from "vitest";
import { freshRunWorldForEachTest, type RunWorld } from "../testing/run-world";
import { cancelRun } from "./run-control";

let world: RunWorld;
freshRunWorldForEachTest((w) => {
  world = w;
});

it("cancelling a run mid-call aborts the call in flight and leaves the run cancelled", async () => {
  const task = await world.task();
  const gate = world.fake.hold();
  world.fake.enqueue({ text: ["Working ", "on ", "it"] });
  const run = await world.start(task.id);
  await gate.reached;
  expect(world.engine.calls.list()).toHaveLength(1);

  const cancelled = await cancelRun(world.engine, task.id, world.users.owner.id);
  expect(cancelled.abortedCalls).toBe(1);
  await world.settle();
  gate.release();

  expect(world.engine.calls.list()).toEqual([]);
  expect(world.modelCalls()).toHaveLength(1); // nothing was sent after the cancel
  expect((await world.read.run(run.id))?.status).toBe("cancelled");
  expect((await world.read.task(task.id))?.status).toBe("cancelled");
  const [step] = await world.read.steps(run.id);
  expect(step?.status).toBe("cancelled");
  expect((await world.read.message(step!.messageId!))?.status).toBe("cancelled");
  const usage = await world.read.usage(run.id);
  expect(usage).toHaveLength(1);
  expect(usage[0]!.outcome).toBe("cancelled");
  expect(
    await world.db.query.budgetReservations.findMany({ where: (r, { eq }) => eq(r.status, "held") }),
  ).toEqual([]);
  expect((await world.read.logs(run.id)).at(-1)).toEqual({
    level: "warn",
    message: `Run cancelled by user ${world.users.owner.id}`,
  });
  expect(world.bus.ofType("pipeline_update").at(-1)?.payload.runStatus).toBe("cancelled");
  expect(world.bus.ofType("task_completed")).toEqual([]);
});
