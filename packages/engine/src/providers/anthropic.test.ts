// The Anthropic provider through the real SDK against a local server that speaks the Messages API's wire protocol.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeAnthropic, modelCallFailure, ONE_PIXEL_PNG_BASE64, startFakeAnthropic } from "../testing";
import { createAnthropicProvider } from "./anthropic";
import type { ModelProvider, ModelRequest, RetryNotice } from "./types";

const request = (over: Partial<ModelRequest> = {}): ModelRequest => ({
  model: "claude-haiku-4-5",
  system: "You are the architect of the team.",
  messages: [{ role: "user", content: "Plan the checkout page" }],
  maxTokens: 1024,
  temperature: 0.2,
  ...over,
});

/** The usage the fake reported, in the engine's names. */
const reportedUsage = (fake: FakeAnthropic, index: number) => {
  const usage = fake.requests[index]?.reply?.usage;
  if (!usage) throw new Error(`request ${index} has no reported usage`);
  return {
    inputTokens: usage.input,
    outputTokens: usage.output,
    cacheReadTokens: usage.cacheRead,
    cacheWriteTokens: usage.cacheWrite,
  };
};

describe("Anthropic provider", () => {
  let fake: FakeAnthropic;
  let provider: ModelProvider;

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKey: "sk-ant-test-key-0001" });
    provider = createAnthropicProvider({ apiKey: "sk-ant-test-key-0001", baseUrl: fake.url, maxRetries: 2 });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    expect(fake.queued()).toBe(0);
  });

  it("streams text deltas as they come and reports the usage the API reported", async () => {
    fake.enqueue({ text: ["Hel", "lo", " world"], usage: { cacheRead: 120, cacheWrite: 40 } });
    const deltas: string[] = [];
    const response = await provider.stream(request(), { onText: (d) => deltas.push(d) });

    expect(deltas).toEqual(["Hel", "lo", " world"]);
    expect(response.content).toEqual([{ type: "text", text: "Hello world" }]);
    expect(response.stopReason).toBe("end_turn");
    expect(response.providerMessageId).toBe(fake.requests[0]?.reply?.id);
    expect(response.usage).toEqual(reportedUsage(fake, 0));
    expect(response.usage).toMatchObject({ cacheReadTokens: 120, cacheWriteTokens: 40 });
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBeGreaterThan(1);

    const sent = fake.requests[0];
    expect(sent?.headers.authorization).toBe("Bearer sk-ant-test-key-0001");
    expect(sent?.body).toMatchObject({
      model: "claude-haiku-4-5",
      system: "You are the architect of the team.",
      max_tokens: 1024,
      stream: true,
      messages: [{ role: "user", content: "Plan the checkout page" }],
    });
    // The API version the SDK speaks rejects sampling parameters; the fake would have answered 400.
    expect(sent?.body).not.toHaveProperty("temperature");
  });

  it("reports the fake's default reply and its computed usage exactly", async () => {
    const response = await provider.stream(request());
    expect(response.content).toEqual([{ type: "text", text: fake.requests[0]?.reply?.text }]);
    expect(response.usage).toEqual(reportedUsage(fake, 0));
  });

  it("round-trips a tool call: tools go out, tool_use comes back parsed, the tool_result reaches the API", async () => {
    const tools = [
      {
        name: "read_file",
        description: "Read a file of the repository",
        inputSchema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      },
    ];
    fake.enqueue(
      {
        text: "Let me look.",
        toolUses: [{ id: "toolu_01", name: "read_file", input: { path: "src/app.ts", lines: [1, 40] } }],
      },
      { text: "The app starts an HTTP server." },
    );
    const first = await provider.stream(request({ tools }));
    expect(first.stopReason).toBe("tool_use");
    expect(first.content).toEqual([
      { type: "text", text: "Let me look." },
      { type: "tool_use", id: "toolu_01", name: "read_file", input: { path: "src/app.ts", lines: [1, 40] } },
    ]);
    expect(fake.requests[0]?.body.tools).toEqual([
      {
        name: "read_file",
        description: "Read a file of the repository",
        input_schema: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
      },
    ]);

    const second = await provider.stream(
      request({
        tools,
        messages: [
          { role: "user", content: "What does the app do?" },
          { role: "assistant", content: first.content },
          {
            role: "user",
            content: [{ type: "tool_result", toolUseId: "toolu_01", content: "createServer().listen(3000)" }],
          },
        ],
      }),
    );
    expect(second.content).toEqual([{ type: "text", text: "The app starts an HTTP server." }]);
    expect(fake.requests[1]?.body.messages).toEqual([
      { role: "user", content: "What does the app do?" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me look." },
          {
            type: "tool_use",
            id: "toolu_01",
            name: "read_file",
            input: { path: "src/app.ts", lines: [1, 40] },
          },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_01", content: "createServer().listen(3000)" }],
      },
    ]);
  });

  it("sends an image block as base64 vision input", async () => {
    await provider.stream(
      request({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is in this screenshot?" },
              { type: "image", mediaType: "image/png", data: ONE_PIXEL_PNG_BASE64 },
            ],
          },
        ],
      }),
    );
    expect(fake.requests[0]?.body.messages[0].content).toEqual([
      { type: "text", text: "What is in this screenshot?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: ONE_PIXEL_PNG_BASE64 } },
    ]);
  });

  it("maps the API's stop reasons", async () => {
    fake.enqueue({ text: "cut short", stopReason: "max_tokens" }, { text: "no", stopReason: "refusal" });
    expect((await provider.stream(request())).stopReason).toBe("max_tokens");
    expect((await provider.stream(request())).stopReason).toBe("refusal");
  });

  it.each([
    [429, "rate_limit_error"],
    [529, "overloaded_error"],
  ])("retries after %i (%s), reports the retry, and succeeds", async (status, type) => {
    fake.enqueue({ error: { status } }, { text: "Recovered" });
    const notices: RetryNotice[] = [];
    const response = await provider.stream(request(), { onRetry: (n) => notices.push(n) });

    expect(response.content).toEqual([{ type: "text", text: "Recovered" }]);
    expect(fake.requests.map((r) => r.reply?.status)).toEqual([status, 200]);
    expect(notices).toEqual([{ attempt: 1, status, message: expect.stringContaining(type) }]);
    expect(notices[0]?.message).toContain("retrying (1 of 2)");
  });

  it("gives up after its retries with the provider's status and message", async () => {
    fake.enqueue(
      { error: { status: 500, message: "boom" } },
      { error: { status: 500, message: "boom" } },
      { error: { status: 500, message: "boom" } },
    );
    const notices: RetryNotice[] = [];
    const error = await modelCallFailure(provider.stream(request(), { onRetry: (n) => notices.push(n) }));
    expect(fake.requests).toHaveLength(3);
    expect(notices.map((n) => n.attempt)).toEqual([1, 2]);
    expect(error.info).toMatchObject({ aborted: false, status: 500, partialText: "" });
    expect(error.message).toContain("boom");
  });

  it("does not retry a request the API rejects", async () => {
    fake.enqueue({ error: { status: 400, message: "messages.0.content: empty" } });
    const notices: RetryNotice[] = [];
    const error = await modelCallFailure(provider.stream(request(), { onRetry: (n) => notices.push(n) }));
    expect(notices).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(error.info.status).toBe(400);
    expect(error.message).toContain("messages.0.content: empty");
  });

  it("fails with the partial text and usage when the stream is cut mid-way", async () => {
    fake.enqueue({ text: ["The ", "plan ", "has ", "three ", "steps."], cutAfterChunks: 2 });
    const deltas: string[] = [];
    const error = await modelCallFailure(provider.stream(request(), { onText: (d) => deltas.push(d) }));

    expect(fake.requests[0]?.reply?.cutAfterChunks).toBe(2);
    expect(deltas).toEqual(["The ", "plan "]);
    expect(error.info).toMatchObject({
      aborted: false,
      partialText: "The plan ",
      providerMessageId: fake.requests[0]?.reply?.id,
    });
    // What message_start had reported: the input side and one output token.
    expect(error.info.usage).toEqual(reportedUsage(fake, 0));
    expect(error.info.usage.outputTokens).toBe(1);
    expect(error.info.usage.inputTokens).toBeGreaterThan(0);
  });

  it("stops at once when aborted mid-stream, with aborted: true and what was streamed", async () => {
    const gate = fake.hold();
    fake.enqueue({ text: ["First ", "second ", "third"], usage: { input: 321 } });
    const controller = new AbortController();
    let firstDelta = () => {};
    const streamed = new Promise<void>((resolve) => {
      firstDelta = resolve;
    });
    const call = provider.stream(request(), { signal: controller.signal, onText: () => firstDelta() });
    await gate.reached;
    await streamed;
    const started = Date.now();
    controller.abort();
    const error = await modelCallFailure(call);
    expect(Date.now() - started).toBeLessThan(1000);
    gate.release();

    expect(error.info).toMatchObject({ aborted: true, partialText: "First " });
    expect(error.info.usage).toMatchObject({ inputTokens: 321, outputTokens: 1 });
    expect(error.info.providerMessageId).toBe(fake.requests[0]?.reply?.id);
  });

  it("sends nothing when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await modelCallFailure(provider.stream(request(), { signal: controller.signal }));
    expect(error.info.aborted).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it("answers a wrong key with the API's 401, without retrying", async () => {
    const wrong = createAnthropicProvider({ apiKey: "sk-ant-wrong", baseUrl: fake.url });
    const error = await modelCallFailure(wrong.stream(request()));
    expect(error.info.status).toBe(401);
    expect(fake.requests).toHaveLength(1);
  });
});
