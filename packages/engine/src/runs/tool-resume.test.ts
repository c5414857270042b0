// A step whose process died in the middle of its tool calls: the restarted engine keeps the results already
// checkpointed, answers the call that was under way as interrupted (it may have written already, so it is not
// run again), runs the calls never started, and so never sends the provider an unanswered `tool_use`.
import { expect, it } from "vitest";
import { z } from "zod";
import { CONTRACT_ANSWER, freshRunWorldForEachTest, type RunWorld } from "../testing/run-world";
import { resumeInterruptedRuns } from "./resume-runs";
import { INTERRUPTED_TOOL_RESULT } from "./tool-calls";

let world: RunWorld;
freshRunWorldForEachTest((w) => {
  world = w;
});

it("resumes mid-tools: finished results kept, the interrupted write answered as such, the rest run once", async () => {
  const writes: string[] = [];
  let reachedHang = () => {};
  const hangReached = new Promise<void>((resolve) => {
    reachedHang = resolve;
  });
  /** On the engine that "dies", the second write never returns: the process is gone mid-call. */
  const writeNote = (dies: boolean) => ({
    name: "write_note",
    description: "Appends a note",
    input: z.object({ text: z.string() }),
    roles: "all" as const,
    execute: async ({ text }: { text: string }) => {
      writes.push(text);
      if (dies && text === "second") {
        reachedHang();
        return new Promise<never>(() => {});
      }
      return { content: `noted ${text}` };
    },
  });
  world.engine.tools.register(writeNote(true));
  const task = await world.task("Take notes");
  world.fake.enqueue(
    {
      id: "msg_tools",
      toolUses: [
        { id: "toolu_1", name: "write_note", input: { text: "first" } },
        { id: "toolu_2", name: "write_note", input: { text: "second" } },
        { id: "toolu_3", name: "write_note", input: { text: "third" } },
      ],
    },
    { id: "msg_answer", text: CONTRACT_ANSWER },
  );
  const run = await world.start(task.id);
  await hangReached;
  const [dying] = await world.read.steps(run.id);
  // The first result is stored already, and the call under way is marked.
  expect(dying?.checkpoint).toMatchObject({ toolInFlight: "toolu_2" });
  expect(JSON.stringify(dying?.checkpoint)).toContain("noted first");

  // The first engine's process is gone: its lease on the step runs out.
  await world.crash(world.engine);
  const restarted = world.startEngine();
  restarted.tools.register(writeNote(false));
  expect(await resumeInterruptedRuns(restarted)).toEqual({ resumed: 1, interrupted: 0 });
  await restarted.steps.idle();

  expect(writes).toEqual(["first", "second", "third"]); // each write once, the interrupted one not repeated
  const calls = world.modelCalls();
  expect(calls).toHaveLength(2);
  const last = calls[1]!.body.messages.at(-1);
  expect(last.role).toBe("user");
  expect(last.content.map((b: { tool_use_id: string }) => b.tool_use_id)).toEqual([
    "toolu_1",
    "toolu_2",
    "toolu_3",
  ]);
  expect(last.content[0]).toMatchObject({ content: "noted first" });
  expect(last.content[1]).toMatchObject({ content: INTERRUPTED_TOOL_RESULT, is_error: true });
  expect(last.content[2]).toMatchObject({ content: "noted third" });

  const [step] = await world.read.steps(run.id);
  expect(step).toMatchObject({ status: "completed", attempts: 2, output: CONTRACT_ANSWER, checkpoint: null });
  const logs = (await world.read.logs(run.id)).map((l) => l.message);
  expect(logs).toContain(
    "Tool call write_note was interrupted by a restart; the agent is asked to check its effect",
  );
});
