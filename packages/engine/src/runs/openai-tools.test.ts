// A step whose agent runs on an OpenAI-compatible provider (the fake OpenAI on 127.0.0.1): its tool calls
// come back as functions, run once each, and go back to the model as `tool` messages; the step is leased
// and metered as on Anthropic.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { createEngine } from "../create-engine";
import { createProviderRegistry } from "../providers/registry";
import { type FakeOpenAi, startFakeOpenAi } from "../testing";
import { CONTRACT_ANSWER, createRunWorld, type RunWorld, STEP_LEASE } from "../testing/run-world";
import { startRun } from "./start-run";

const MODEL = "local-coder";
let world: RunWorld;
let openai: FakeOpenAi;
beforeEach(async () => {
  world = await createRunWorld();
  openai = await startFakeOpenAi({ apiKey: "sk-openai-tests" });
  await world.db.insert(schema.models).values({
    id: MODEL,
    provider: "openai",
    name: MODEL,
    displayName: "Local coder",
    inputCostPerMTok: 1_000_000,
    outputCostPerMTok: 2_000_000,
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
  });
  await world.db
    .update(schema.agents)
    .set({ modelConfig: { model: MODEL, temperature: 0.2, maxTokens: 4096 } })
    .where(eq(schema.agents.id, world.agents.ada.id));
});
afterEach(async () => {
  expect(world.errors).toEqual([]);
  await openai.close();
  await world.close();
});

it("runs an OpenAI-compatible model's tool calls once each and sends their results back", async () => {
  const engine = createEngine({
    ...world.deps,
    now: () => new Date(),
    stepLease: STEP_LEASE,
    providers: createProviderRegistry({
      db: world.db,
      secret: "engine-tests-secret-engine-tests-secret",
      env: { openaiApiKey: "sk-openai-tests", openaiBaseUrl: openai.url },
      clientOptions: { maxRetries: 0 },
    }),
    readFile: async () => {
      throw new Error("no files here");
    },
  });
  const edits: unknown[] = [];
  engine.tools.register({
    name: "edit_file",
    description: "Replaces text in a file",
    input: z.object({ path: z.string(), old_str: z.string(), new_str: z.string() }),
    roles: "all",
    execute: async (input) => {
      edits.push(input);
      return { content: `Edited ${input.path}` };
    },
  });
  const task = await world.task("Friendlier greeting");
  const edit = { path: "src/greet.js", old_str: "Hello, ", new_str: "Hi, " };
  openai.enqueue({ toolUses: [{ id: "call_1", name: "edit_file", input: edit }] }, { text: CONTRACT_ANSWER });

  const run = await startRun(engine, {
    taskId: task.id,
    userId: world.users.owner.id,
    pipeline: [world.agents.ada.id],
  });
  await engine.steps.idle();
  await engine.steps.close();

  expect(edits).toEqual([edit]);
  const calls = openai.requests.filter((r) => r.path.endsWith("/chat/completions"));
  expect(calls).toHaveLength(2);
  expect(calls[0]!.body.tools.map((t: { function: { name: string } }) => t.function.name)).toContain(
    "edit_file",
  );
  const sent = calls[1]!.body.messages;
  expect(sent.at(-2)).toMatchObject({
    role: "assistant",
    tool_calls: [{ id: "call_1", type: "function", function: { name: "edit_file" } }],
  });
  expect(JSON.parse(sent.at(-2).tool_calls[0].function.arguments)).toEqual(edit);
  expect(sent.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_1", content: "Edited src/greet.js" });
  const [step] = await world.read.steps(run.id);
  expect(step).toMatchObject({ status: "completed", attempts: 1, output: CONTRACT_ANSWER, leaseOwner: null });
  expect(await world.read.usage(run.id)).toHaveLength(2);
});
