// A step as its agent takes it, against the fake Anthropic on a real database: the answer streamed into the
// step's message and metered, a tool call and its result sent back, and the output contract held once.
import { describe, expect, it } from "vitest";
import { CONTRACT_ANSWER, freshRunWorldForEachTest, MODEL, type RunWorld } from "../testing/run-world";
import { lookupOrderTool } from "../testing/tools";

let world: RunWorld;
freshRunWorldForEachTest((w) => {
  world = w;
});

/** Splits the answer into a few pieces, so the stream has several deltas to keep in order. */
const chunksOf = (text: string) => [text.slice(0, 10), text.slice(10, 40), text.slice(40)];

describe("a step", () => {
  it("streams its answer into its message, is metered exactly, and finishes the run", async () => {
    const task = await world.task();
    const chunks = chunksOf(CONTRACT_ANSWER);
    world.fake.enqueue({
      id: "msg_step_1",
      text: chunks,
      usage: { input: 1200, output: 300, cacheRead: 0, cacheWrite: 0 },
    });

    const run = await world.start(task.id);
    await world.settle();

    const [step] = await world.read.steps(run.id);
    expect(step).toMatchObject({
      status: "completed",
      output: CONTRACT_ANSWER,
      tokensIn: 1200,
      tokensOut: 300,
      attempts: 1,
      checkpoint: null,
    });
    expect(await world.read.run(run.id)).toMatchObject({
      status: "completed",
      result: { output: CONTRACT_ANSWER },
    });
    expect((await world.read.task(task.id))?.status).toBe("review");
    expect(await world.read.message(step!.messageId!)).toMatchObject({
      content: CONTRACT_ANSWER,
      status: "complete",
      tokensIn: 1200,
      tokensOut: 300,
      runStepId: step!.id,
    });
    const usage = await world.read.usage(run.id);
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({
      providerMessageId: "msg_step_1",
      runStepId: step!.id,
      outcome: "success",
      inputTokens: 1200,
      outputTokens: 300,
    });

    // The message is announced empty, streamed piece by piece in order, then announced complete.
    const ofMessage = world.bus.events.filter(
      (e) =>
        (e.type === "message" && e.payload.id === step!.messageId) ||
        (e.type === "message_delta" && e.payload.messageId === step!.messageId),
    );
    expect(ofMessage.map((e) => e.type)).toEqual([
      "message",
      ...chunks.map(() => "message_delta"),
      "message",
    ]);
    expect(world.bus.ofType("message_delta").map((e) => e.payload.delta)).toEqual(chunks);
    expect(ofMessage[0]?.payload).toMatchObject({ status: "streaming", content: "" });
    expect(ofMessage.at(-1)?.payload).toMatchObject({ status: "complete", content: CONTRACT_ANSWER });
    expect(world.bus.ofType("task_completed")).toHaveLength(1);

    const [call] = world.modelCalls();
    expect(world.modelCalls()).toHaveLength(1);
    expect(call?.body).toMatchObject({ model: MODEL, stream: true, max_tokens: 4096 });
    expect(JSON.stringify(call?.body.messages)).toContain("One-click checkout");
    expect(call?.body.tools.map((t: { name: string }) => t.name)).toContain("think");

    const logs = await world.read.logs(run.id);
    expect(logs.map((l) => l.message)).toEqual([
      "Run started with Ada (senior-developer)",
      "Step 1 (Ada) started",
      expect.stringMatching(/^Step 1 completed in \d+ ms$/),
      "Run completed",
    ]);
  });

  it("runs the tool the model asks for and sends its result back in the next turn", async () => {
    const seen: unknown[] = [];
    world.engine.tools.register(lookupOrderTool(seen));
    const task = await world.task("Look up order 42");
    world.fake.enqueue(
      { text: "Let me look.", toolUses: [{ id: "toolu_1", name: "lookup_order", input: { id: "42" } }] },
      { text: CONTRACT_ANSWER },
    );

    const run = await world.start(task.id);
    await world.settle();

    expect(seen).toEqual([{ id: "42" }]);
    const calls = world.modelCalls();
    expect(calls).toHaveLength(2);
    const sent = calls[1]!.body.messages;
    expect(sent.at(-2)).toMatchObject({
      role: "assistant",
      content: [
        { type: "text", text: "Let me look." },
        { type: "tool_use", id: "toolu_1", name: "lookup_order", input: { id: "42" } },
      ],
    });
    expect(sent.at(-1)).toMatchObject({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "Order 42: 3 items, paid" }],
    });
    expect(
      world.bus.ofType("agent_action").map((e) => [e.payload.type, e.payload.tool, e.payload.content]),
    ).toEqual([
      ["tool_call", "lookup_order", '{"id":"42"}'],
      ["tool_result", "lookup_order", "Order 42: 3 items, paid"],
    ]);

    const [step] = await world.read.steps(run.id);
    expect(step).toMatchObject({ status: "completed", output: CONTRACT_ANSWER });
    // Both turns show in the one message, and both calls are metered.
    expect((await world.read.message(step!.messageId!))?.content).toBe(`Let me look.\n\n${CONTRACT_ANSWER}`);
    const usage = await world.read.usage(run.id);
    expect(usage).toHaveLength(2);
    expect(step!.tokensIn).toBe(usage[0]!.inputTokens + usage[1]!.inputTokens);
  });
});

describe("the output contract", () => {
  it("asks once for a fixed answer when the first breaks the contract, and keeps the fixed one", async () => {
    const task = await world.task();
    world.fake.enqueue({ text: "Implemented it." }, { text: CONTRACT_ANSWER });

    const run = await world.start(task.id);
    await world.settle();

    const calls = world.modelCalls();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.body.messages.at(-2)).toMatchObject({
      role: "assistant",
      content: [{ type: "text", text: "Implemented it." }],
    });
    expect(JSON.stringify(calls[1]!.body.messages.at(-1))).toContain(
      "Your answer does not follow the output contract",
    );
    const [step] = await world.read.steps(run.id);
    expect(step).toMatchObject({ status: "completed", output: CONTRACT_ANSWER });
    const warnings = (await world.read.logs(run.id)).filter((l) => l.level === "warn");
    expect(warnings.map((l) => l.message)).toEqual([
      "Ada's answer broke its output contract; asked once to fix it",
    ]);
  });

  it("keeps a second broken answer as written, with a warning, and asks no more", async () => {
    const task = await world.task();
    world.fake.enqueue({ text: "Implemented it." }, { text: "Still no block." }, { text: CONTRACT_ANSWER });

    const run = await world.start(task.id);
    await world.settle();

    expect(world.modelCalls()).toHaveLength(2);
    expect(world.fake.queued()).toBe(1);
    const [step] = await world.read.steps(run.id);
    expect(step).toMatchObject({ status: "completed", output: "Still no block." });
    expect((await world.read.message(step!.messageId!))?.content).toBe("Implemented it.\n\nStill no block.");
    expect((await world.read.run(run.id))?.status).toBe("completed");
    const warnings = (await world.read.logs(run.id)).filter((l) => l.level === "warn");
    expect(warnings.map((l) => l.message)).toEqual([
      "Ada's answer broke its output contract; asked once to fix it",
      "Ada's answer still breaks its output contract; kept as written",
    ]);
  });
});
