// The fakes themselves: wire framing as the real APIs frame it, scripts matched to concurrent requests, and
// reachable from another process (a server under test started as a child).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeAnthropic, type FakeOpenAi, startFakeAnthropic, startFakeOpenAi } from "./index";

const run = promisify(execFile);

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("fake Anthropic", () => {
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());

  const body = (system: string, stream = true) => ({
    model: "claude-haiku-4-5",
    max_tokens: 100,
    system,
    stream,
    messages: [{ role: "user", content: "Hi" }],
  });

  it("frames every SSE event as `event:` and `data:` lines ending in a blank line, in Anthropic's order", async () => {
    fake.enqueue({ text: ["a", "b"], toolUses: [{ id: "toolu_x", name: "think", input: { note: "ok" } }] });
    const res = await post(`${fake.url}/v1/messages`, body("s"));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    const frames = text.split("\n\n").filter(Boolean);
    const types = frames.map((f) => {
      const [event, data, ...rest] = f.split("\n");
      expect(rest).toEqual([]);
      const type = /^event: (\w+)$/.exec(event ?? "")?.[1];
      expect(JSON.parse((data ?? "").replace(/^data: /, "")).type).toBe(type);
      return type;
    });
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(text.endsWith("\n\n")).toBe(true);
  });

  it("answers JSON when not streaming, with the same usage it records", async () => {
    fake.enqueue({ text: "whole", usage: { input: 10, output: 2, cacheRead: 3, cacheWrite: 4 } });
    const res = await post(`${fake.url}/v1/messages`, body("s", false));
    const json = await res.json();
    expect(json).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "text", text: "whole" }],
      stop_reason: "end_turn",
      usage: {
        input_tokens: 10,
        output_tokens: 2,
        cache_read_input_tokens: 3,
        cache_creation_input_tokens: 4,
      },
    });
    expect(fake.requests.at(-1)?.reply?.usage).toEqual({ input: 10, output: 2, cacheRead: 3, cacheWrite: 4 });
  });

  it("gives concurrent requests the scripts that match them, whatever the order they arrive in", async () => {
    const forRole = (role: string) => (r: { body: { system?: string } }) =>
      Boolean(r.body.system?.includes(role));
    fake.enqueue(
      { match: forRole("reviewer"), text: "review done", chunkDelayMs: 5 },
      { match: forRole("architect"), text: "design done" },
    );
    type Reply = { content: Array<{ text: string }> };
    const [architect, reviewer] = await Promise.all([
      post(`${fake.url}/v1/messages`, body("You are the architect", false)).then(
        (r) => r.json() as Promise<Reply>,
      ),
      post(`${fake.url}/v1/messages`, body("You are the reviewer", false)).then(
        (r) => r.json() as Promise<Reply>,
      ),
    ]);
    expect(architect.content[0]?.text).toBe("design done");
    expect(reviewer.content[0]?.text).toBe("review done");
    expect(fake.queued()).toBe(0);
  });

  it("holds the stream a gate names until it is released", async () => {
    const gate = fake.hold((r) => r.body.system === "held");
    fake.enqueue({ text: ["one", "two"] });
    const response = post(`${fake.url}/v1/messages`, body("held")).then((r) => r.text());
    await gate.reached;
    const partial = fake.requests.at(-1)?.reply;
    expect(partial?.text).toBeUndefined();
    gate.release();
    expect(await response).toContain("message_stop");
    expect(fake.requests.at(-1)?.reply?.text).toBe("onetwo");
  });

  it("is plain HTTP that another process reaches", async () => {
    fake.enqueue({ text: "from afar" });
    const script = `
      const res = await fetch(${JSON.stringify(`${fake.url}/v1/messages`)}, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(${JSON.stringify(body("child", false))}),
      });
      process.stdout.write(JSON.stringify(await res.json()));
    `;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
    expect(JSON.parse(stdout).content).toEqual([{ type: "text", text: "from afar" }]);
    expect(fake.requests.at(-1)?.body.system).toBe("child");
  });
});

describe("fake OpenAI-compatible server", () => {
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(() => fake.close());

  const body = (includeUsage: boolean) => ({
    model: "gpt-fake",
    stream: true,
    ...(includeUsage && { stream_options: { include_usage: true } }),
    messages: [{ role: "user", content: "Hi" }],
  });

  it("streams `data:` chunks ending in [DONE], with the usage chunk only when asked for", async () => {
    for (const includeUsage of [true, false]) {
      fake.enqueue({ text: ["x", "y"], usage: { input: 5, output: 2 } });
      const text = await (await post(`${fake.url}/chat/completions`, body(includeUsage))).text();
      const lines = text.split("\n\n").filter(Boolean);
      expect(lines.every((l) => l.startsWith("data: "))).toBe(true);
      expect(lines.at(-1)).toBe("data: [DONE]");
      const chunks = lines.slice(0, -1).map((l) => JSON.parse(l.slice(6)));
      expect(chunks.map((c) => c.choices[0]?.delta?.content).filter(Boolean)).toEqual(["x", "y"]);
      const usage = chunks.filter((c) => c.usage);
      expect(usage.map((c) => c.usage.completion_tokens)).toEqual(includeUsage ? [2] : []);
    }
  });
});
