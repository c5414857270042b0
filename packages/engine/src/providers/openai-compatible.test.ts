// The OpenAI-compatible provider through the real openai SDK against a local chat-completions server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeOpenAi, modelCallFailure, ONE_PIXEL_PNG_BASE64, startFakeOpenAi } from "../testing";
import { createOpenAiCompatibleProvider } from "./openai-compatible";
import type { ModelProvider, ModelRequest, RetryNotice } from "./types";

const request = (over: Partial<ModelRequest> = {}): ModelRequest => ({
  model: "gpt-4o-mini",
  system: "You are the reviewer of the team.",
  messages: [{ role: "user", content: "Review the checkout page" }],
  maxTokens: 512,
  temperature: 0.3,
  ...over,
});

describe("OpenAI-compatible provider", () => {
  let fake: FakeOpenAi;
  let provider: ModelProvider;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: "sk-openai-test-0001" });
    provider = createOpenAiCompatibleProvider({
      apiKey: "sk-openai-test-0001",
      baseUrl: fake.url,
      maxRetries: 2,
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    expect(fake.queued()).toBe(0);
  });

  it("streams text and reports the usage chunk, cached prompt tokens apart", async () => {
    fake.enqueue({ text: ["Looks ", "good ", "to me."], usage: { input: 200, output: 9, cacheRead: 64 } });
    const deltas: string[] = [];
    const response = await provider.stream(request(), { onText: (d) => deltas.push(d) });

    expect(deltas).toEqual(["Looks ", "good ", "to me."]);
    expect(response.content).toEqual([{ type: "text", text: "Looks good to me." }]);
    expect(response.stopReason).toBe("end_turn");
    expect(response.providerMessageId).toBe(fake.requests[0]?.reply?.id);
    // The fake reported prompt_tokens 264 with 64 of them cached.
    expect(response.usage).toEqual({
      inputTokens: 200,
      outputTokens: 9,
      cacheReadTokens: 64,
      cacheWriteTokens: 0,
    });

    const sent = fake.requests[0];
    expect(sent?.headers.authorization).toBe("Bearer sk-openai-test-0001");
    expect(sent?.body).toMatchObject({
      model: "gpt-4o-mini",
      temperature: 0.3,
      max_tokens: 512,
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: "system", content: "You are the reviewer of the team." },
        { role: "user", content: "Review the checkout page" },
      ],
    });
  });

  it("reports the default reply's computed usage exactly", async () => {
    const response = await provider.stream(request());
    const reported = fake.requests[0]?.reply?.usage;
    expect(response.content).toEqual([{ type: "text", text: fake.requests[0]?.reply?.text }]);
    expect(response.usage).toEqual({
      inputTokens: reported?.input,
      outputTokens: reported?.output,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it("accumulates tool call deltas by index and sends tool results back as role: tool", async () => {
    const tools = [
      {
        name: "search_code",
        description: "Search the repository",
        inputSchema: { type: "object", properties: { query: { type: "string" } } },
      },
    ];
    fake.enqueue(
      {
        toolUses: [
          { id: "call_a", name: "search_code", input: { query: "checkout" } },
          { id: "call_b", name: "search_code", input: { query: "cart total", limit: 5 } },
        ],
      },
      { text: "Both places compute the total." },
    );
    const first = await provider.stream(request({ tools }));
    expect(first.stopReason).toBe("tool_use");
    expect(first.content).toEqual([
      { type: "tool_use", id: "call_a", name: "search_code", input: { query: "checkout" } },
      { type: "tool_use", id: "call_b", name: "search_code", input: { query: "cart total", limit: 5 } },
    ]);
    expect(fake.requests[0]?.body.tools).toEqual([
      {
        type: "function",
        function: {
          name: "search_code",
          description: "Search the repository",
          parameters: { type: "object", properties: { query: { type: "string" } } },
        },
      },
    ]);

    await provider.stream(
      request({
        tools,
        messages: [
          { role: "user", content: "Where is the total computed?" },
          { role: "assistant", content: first.content },
          {
            role: "user",
            content: [
              { type: "tool_result", toolUseId: "call_a", content: "src/checkout.ts:12" },
              { type: "tool_result", toolUseId: "call_b", content: "no index", isError: true },
              { type: "text", text: "Keep it short." },
            ],
          },
        ],
      }),
    );
    expect(fake.requests[1]?.body.messages).toEqual([
      { role: "system", content: "You are the reviewer of the team." },
      { role: "user", content: "Where is the total computed?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_a",
            type: "function",
            function: { name: "search_code", arguments: '{"query":"checkout"}' },
          },
          {
            id: "call_b",
            type: "function",
            function: { name: "search_code", arguments: '{"query":"cart total","limit":5}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "call_a", content: "src/checkout.ts:12" },
      { role: "tool", tool_call_id: "call_b", content: "Error: no index" },
      { role: "user", content: [{ type: "text", text: "Keep it short." }] },
    ]);
  });

  it("sends images as data-URL image_url parts", async () => {
    await provider.stream(
      request({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is wrong here?" },
              { type: "image", mediaType: "image/png", data: ONE_PIXEL_PNG_BASE64 },
            ],
          },
        ],
      }),
    );
    expect(fake.requests[0]?.body.messages[1]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "What is wrong here?" },
        { type: "image_url", image_url: { url: `data:image/png;base64,${ONE_PIXEL_PNG_BASE64}` } },
      ],
    });
  });

  it("maps finish reasons", async () => {
    fake.enqueue({ text: "cut", stopReason: "length" }, { text: "no", stopReason: "content_filter" });
    expect((await provider.stream(request())).stopReason).toBe("max_tokens");
    expect((await provider.stream(request())).stopReason).toBe("refusal");
  });

  it.each([429, 503])("retries after %i, reports the retry, and succeeds", async (status) => {
    fake.enqueue({ error: { status } }, { text: "Recovered" });
    const notices: RetryNotice[] = [];
    const response = await provider.stream(request(), { onRetry: (n) => notices.push(n) });
    expect(response.content).toEqual([{ type: "text", text: "Recovered" }]);
    expect(fake.requests.map((r) => r.reply?.status)).toEqual([status, 200]);
    expect(notices).toEqual([{ attempt: 1, status, message: expect.stringContaining(`HTTP ${status}`) }]);
  });

  it("gives up after its retries with the status and the server's message", async () => {
    const boom = { error: { status: 500, message: "upstream exploded" } };
    fake.enqueue(boom, boom, boom);
    const notices: RetryNotice[] = [];
    const error = await modelCallFailure(provider.stream(request(), { onRetry: (n) => notices.push(n) }));
    expect(fake.requests).toHaveLength(3);
    expect(notices.map((n) => n.attempt)).toEqual([1, 2]);
    expect(error.info).toMatchObject({ aborted: false, status: 500 });
    expect(error.message).toContain("upstream exploded");
  });

  it("fails with the partial text when the stream is cut mid-way (usage comes only at the end)", async () => {
    fake.enqueue({ text: ["One ", "two ", "three"], cutAfterChunks: 2 });
    const error = await modelCallFailure(provider.stream(request()));
    expect(fake.requests[0]?.reply?.cutAfterChunks).toBe(2);
    expect(error.info).toMatchObject({
      aborted: false,
      partialText: "One two ",
      providerMessageId: fake.requests[0]?.reply?.id,
      usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
  });

  it("stops at once when aborted mid-stream", async () => {
    const gate = fake.hold();
    fake.enqueue({ text: ["First ", "second"] });
    let firstDelta = () => {};
    const streamed = new Promise<void>((resolve) => {
      firstDelta = resolve;
    });
    const controller = new AbortController();
    const call = provider.stream(request(), { signal: controller.signal, onText: () => firstDelta() });
    await gate.reached;
    await streamed;
    const started = Date.now();
    controller.abort();
    const error = await modelCallFailure(call);
    expect(Date.now() - started).toBeLessThan(1000);
    gate.release();
    expect(error.info.aborted).toBe(true);
    expect(error.info.partialText).toBe("First ");
    expect(error.info.providerMessageId).toBe(fake.requests[0]?.reply?.id);
  });

  it("needs no key for a server that needs none, and sends no Authorization header", async () => {
    const keyless = await startFakeOpenAi();
    try {
      const local = createOpenAiCompatibleProvider({ baseUrl: keyless.url });
      keyless.enqueue({ text: "local llama here" });
      const response = await local.stream(request({ model: "llama3.2" }));
      expect(response.content).toEqual([{ type: "text", text: "local llama here" }]);
      expect(keyless.requests[0]?.headers).not.toHaveProperty("authorization");
    } finally {
      await keyless.close();
    }
    expect(() => createOpenAiCompatibleProvider({})).toThrow(/API key/);
  });
});
