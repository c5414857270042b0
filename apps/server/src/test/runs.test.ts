// Task runs against a local Anthropic fake over real HTTP: six steps to completion, metering, cancel
// mid-stream, a second start, a tool loop, words from a person mid-run, images, retries, no provider.
import { type FakeAnthropic, lookupOrderTool } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  registerUser,
  startTestServer,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
  verbsAs,
} from "./harness";
import { DEFAULT_PIPELINE_ROLES, ROLE_ANSWERS } from "./role-answers";

describe("task runs", () => {
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let owner: TestUser;

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({
      RATE_LIMIT_REGISTER_MAX: "1000",
      RATE_LIMIT_LOGIN_MAX: "1000",
    }));
    owner = await registerUser(server);
  });
  afterAll(() => stop());

  const as = verbsAs(() => server);

  async function newTask(title = "One-click checkout") {
    const project = await as(owner).post("/projects", {
      name: `P ${Math.random().toString(36).slice(2, 8)}`,
    });
    expect(project.status).toBe(200);
    const task = await as(owner).post("/tasks", {
      title,
      description: "Returning customers pay in one click",
      projectId: project.body.id,
    });
    expect(task.status).toBe(200);
    return {
      projectId: project.body.id as string,
      task: task.body as { id: string; conversationId: string },
    };
  }

  const settle = () => server.deps.engine.steps.idle();
  const requestsSince = (n: number) => fake.requests.slice(n).filter((r) => r.path.endsWith("/messages"));

  it("runs the six-step default pipeline to completion, metering exactly what the provider reported", async () => {
    const { task } = await newTask();
    const before = fake.requests.length;
    const usages = DEFAULT_PIPELINE_ROLES.map((_, i) => ({
      input: 1000 + i * 10,
      output: 200 + i,
      cacheRead: 5 * i,
      cacheWrite: 0,
    }));
    fake.enqueue(
      ...DEFAULT_PIPELINE_ROLES.map((role, i) => ({ text: ROLE_ANSWERS[role] as string, usage: usages[i] })),
    );

    const started = await as(owner).post(`/tasks/${task.id}/start`, { instructions: "Keep it small" });
    expect(started.status).toBe(200);
    expect(started.body.run).toMatchObject({ status: "queued", totalSteps: 6, currentStep: 0 });
    expect(started.body.task.status).toBe("in_progress");
    await settle();

    const status = await as(owner).get(`/tasks/${task.id}/status`);
    expect(status.body).toMatchObject({
      runStatus: "completed",
      status: "review",
      isComplete: true,
      isFailed: false,
    });
    expect(status.body.progress).toEqual({ completed: 6, total: 6, percentage: 100 });

    const orchestration = await as(owner).get(`/tasks/${task.id}/orchestration`);
    expect(orchestration.status).toBe(200);
    expect(orchestration.body.steps.map((s: { role: string }) => s.role)).toEqual([
      ...DEFAULT_PIPELINE_ROLES,
    ]);
    for (const [i, step] of orchestration.body.steps.entries()) {
      expect(step.status).toBe("completed");
      expect(step.metrics.tokensIn).toBe(usages[i]!.input);
      expect(step.metrics.tokensOut).toBe(usages[i]!.output);
      expect(step.output).toBe(ROLE_ANSWERS[DEFAULT_PIPELINE_ROLES[i]!]);
    }
    expect(orchestration.body.logs.map((l: { message: string }) => l.message).at(-1)).toBe("Run completed");

    // Exactly one request per step, each fed the task, the instructions and the earlier outputs.
    const calls = requestsSince(before);
    expect(calls).toHaveLength(6);
    const prompt = (i: number) => JSON.stringify(calls[i]!.body.messages);
    expect(prompt(0)).toContain("One-click checkout");
    expect(prompt(0)).toContain("Keep it small");
    expect(prompt(3)).toContain("POST /checkout/one-click"); // the architect's plan reaches the developer
    expect(prompt(5)).toContain("Documented the endpoint");

    const records = await server.deps.db.query.usageRecords.findMany({
      where: (row, { eq }) => eq(row.taskId, task.id),
    });
    expect(records).toHaveLength(6);
    expect(records.every((r) => r.outcome === "success" && r.provider === "anthropic")).toBe(true);
    expect(records.reduce((n, r) => n + r.inputTokens, 0)).toBe(usages.reduce((n, u) => n + u.input, 0));
    expect(records.reduce((n, r) => n + r.outputTokens, 0)).toBe(usages.reduce((n, u) => n + u.output, 0));
    expect(records.reduce((n, r) => n + r.cacheReadTokens, 0)).toBe(
      usages.reduce((n, u) => n + u.cacheRead, 0),
    );
    expect(new Set(records.map((r) => r.providerMessageId)).size).toBe(6);

    // The steps streamed into the task's conversation, with the same numbers on each message.
    const messages = await as(owner).get(`/conversations/${task.conversationId}/messages?limit=50`);
    const agentMessages = messages.body.items
      .filter((m: { authorType: string }) => m.authorType === "agent")
      .reverse();
    expect(agentMessages).toHaveLength(6);
    expect(agentMessages.map((m: { tokensIn: number }) => m.tokensIn)).toEqual(usages.map((u) => u.input));
    expect(agentMessages.every((m: { status: string }) => m.status === "complete")).toBe(true);

    const detail = await as(owner).get(`/tasks/${task.id}`);
    expect(detail.body.result).toMatchObject({ type: "output", output: ROLE_ANSWERS["qa-engineer"] });
    expect(detail.body.usage.totalTokens).toBe(
      usages.reduce((n, u) => n + u.input + u.output + u.cacheRead, 0),
    );
  });

  it("answers 409 AGENT_BUSY to a second start, and cancel aborts the running call at once", async () => {
    const { task } = await newTask();
    const gate = fake.hold();
    const before = fake.requests.length;
    expect((await as(owner).post(`/tasks/${task.id}/start`)).status).toBe(200);
    await gate.reached;

    const again = await as(owner).post(`/tasks/${task.id}/start`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("AGENT_BUSY");

    const cancelled = await as(owner).post(`/tasks/${task.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.abortedCalls).toBe(1);
    expect(cancelled.body.run.status).toBe("cancelled");
    expect(cancelled.body.task.status).toBe("cancelled");
    await settle();
    gate.release();

    expect(requestsSince(before)).toHaveLength(1); // nothing after the cancel
    const records = await server.deps.db.query.usageRecords.findMany({
      where: (row, { eq }) => eq(row.taskId, task.id),
    });
    expect(records).toHaveLength(1);
    expect(records[0]!.outcome).toBe("cancelled");
    expect(records[0]!.inputTokens).toBeGreaterThan(0); // the partial usage the stream had reported
    const orchestration = await as(owner).get(`/tasks/${task.id}/orchestration`);
    expect(orchestration.body.steps.map((s: { status: string }) => s.status)).toEqual(
      Array(6).fill("cancelled"),
    );
    const held = await server.deps.db.query.budgetReservations.findMany({
      where: (row, { eq }) => eq(row.status, "held"),
    });
    expect(held).toHaveLength(0);
    expect((await as(owner).post(`/tasks/${task.id}/cancel`)).status).toBe(409);
  });

  it("runs a tool-call loop with a tool of our own, and hands a person's message to the current step's agent", async () => {
    const { projectId, task } = await newTask("Look up order 42");
    const agents = await as(owner).get(`/projects/${projectId}/agents`);
    const productManager = agents.body.items[0].id as string;
    const seen: unknown[] = [];
    server.deps.engine.tools.register(lookupOrderTool(seen));
    const gate = fake.hold();
    fake.enqueue(
      { text: "Let me look.", toolUses: [{ id: "toolu_1", name: "lookup_order", input: { id: "42" } }] },
      { text: ROLE_ANSWERS["product-manager"] as string },
    );
    const before = fake.requests.length;
    expect((await as(owner).post(`/tasks/${task.id}/start`, { pipeline: [productManager] })).status).toBe(
      200,
    );
    await gate.reached;
    const said = await as(owner).post(`/conversations/${task.conversationId}/messages`, {
      content: "Only paid orders count",
    });
    expect(said.status).toBe(200);
    gate.release();
    await settle();

    expect(seen).toEqual([{ id: "42" }]);
    const calls = requestsSince(before);
    expect(calls).toHaveLength(2);
    const second = JSON.stringify(calls[1]!.body.messages);
    expect(second).toContain("toolu_1");
    expect(second).toContain("Order 42: 3 items, paid");
    expect(second).toContain("Only paid orders count");
    const status = await as(owner).get(`/tasks/${task.id}/status`);
    expect(status.body.runStatus).toBe("completed");
    const records = await server.deps.db.query.usageRecords.findMany({
      where: (row, { eq }) => eq(row.taskId, task.id),
    });
    expect(records).toHaveLength(2);
  });

  it("starts with instructions and an image from a multipart form; the image reaches the model as vision input", async () => {
    const { projectId, task } = await newTask("Fix the layout");
    const agents = await as(owner).get(`/projects/${projectId}/agents`);
    const patched = await server.api("PATCH", `/projects/${projectId}`, {
      token: owner.access_token,
      body: { pipeline: [agents.body.items[0].id] },
    });
    expect(patched.status).toBe(200);
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const form = new FormData();
    form.set("instructions", "The button overlaps the footer");
    form.set("image", new Blob([png], { type: "image/png" }), "screenshot.png");
    fake.enqueue({ text: ROLE_ANSWERS["product-manager"] as string });
    const before = fake.requests.length;
    const res = await fetch(`${server.url}/api/v1/tasks/${task.id}/start`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner.access_token}` },
      body: form,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { run: { totalSteps: number } }).run.totalSteps).toBe(1);
    await settle();
    const [call] = requestsSince(before);
    const blocks = call!.body.messages[0].content as Array<{
      type: string;
      text?: string;
      source?: { data: string; media_type: string };
    }>;
    const image = blocks.find((b) => b.type === "image");
    expect(image?.source).toMatchObject({ media_type: "image/png", data: png.toString("base64") });
    expect(JSON.stringify(blocks)).toContain("The button overlaps the footer");
  });

  it("retries a 429 and a 529 through the SDK and shows the retries in the run's log", async () => {
    const { projectId, task } = await newTask("Retry me");
    const agents = await as(owner).get(`/projects/${projectId}/agents`);
    fake.enqueue(
      { error: { status: 429, headers: { "retry-after": "0" } } },
      { error: { status: 529, headers: { "retry-after": "0" } } },
      { text: ROLE_ANSWERS["product-manager"] as string },
    );
    expect(
      (await as(owner).post(`/tasks/${task.id}/start`, { pipeline: [agents.body.items[0].id] })).status,
    ).toBe(200);
    await settle();
    const orchestration = await as(owner).get(`/tasks/${task.id}/orchestration`);
    expect(orchestration.body.run.status).toBe("completed");
    const retries = orchestration.body.logs.filter(
      (l: { level: string; message: string }) => l.level === "warn" && /retried/i.test(l.message),
    );
    expect(retries).toHaveLength(2);
  });

  it("refuses bad starts with clear errors and stores nothing", async () => {
    const { task } = await newTask("Bad starts");
    const notAgent = await as(owner).post(`/tasks/${task.id}/start`, { pipeline: ["nope"] });
    expect(notAgent.status).toBe(400);
    expect(notAgent.body.error.details).toEqual([
      { field: "pipeline.0", message: "Not an agent of the task's project" },
    ]);
    const stranger = await registerUser(server);
    expect((await as(stranger).post(`/tasks/${task.id}/start`)).status).toBe(404);
    expect((await as(stranger).get(`/tasks/${task.id}/orchestration`)).status).toBe(404);
    const unassigned = await as(owner).post("/tasks", { title: "No project" });
    const noCrew = await as(owner).post(`/tasks/${unassigned.body.id}/start`);
    expect(noCrew.status).toBe(400);
    const runs = await server.deps.db.query.runs.findMany({
      where: (row, { eq }) => eq(row.taskId, task.id),
    });
    expect(runs).toHaveLength(0);
    const idle = await as(owner).get(`/tasks/${task.id}/orchestration`);
    expect(idle.body).toEqual({ taskId: task.id, run: null, steps: [], logs: [] });
  });
});

describe("task runs without a model provider", () => {
  it("answers a clear MODEL_PROVIDER_ERROR that says how to configure one, and starts nothing", async () => {
    const server = await startTestServer({ ANTHROPIC_API_KEY: "", RATE_LIMIT_REGISTER_MAX: "1000" });
    try {
      const owner = await registerUser(server);
      const project = await server.api("POST", "/projects", {
        token: owner.access_token,
        body: { name: "No key" },
      });
      const task = await server.api("POST", "/tasks", {
        token: owner.access_token,
        body: { title: "T", projectId: project.body.id },
      });
      const res = await server.api("POST", `/tasks/${task.body.id}/start`, {
        token: owner.access_token,
        body: {},
      });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe("MODEL_PROVIDER_ERROR");
      expect(res.body.error.message).toContain("ANTHROPIC_API_KEY");
      expect(await server.deps.db.query.runs.findMany()).toHaveLength(0);
      const after = await server.api("GET", `/tasks/${task.body.id}`, { token: owner.access_token });
      expect(after.body.status).toBe("backlog");
    } finally {
      await server.stop();
    }
  });
});
