import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createDefaultToolRegistry } from "./default-tools";
import { type Tool, type ToolContext, ToolRegistry } from "./registry";

const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  runId: "run-1",
  taskId: "task-1",
  projectId: "project-1",
  agentId: "agent-1",
  userId: "user-1",
  signal: new AbortController().signal,
  ...over,
});

const add: Tool<{ a: number; b: number }> = {
  name: "add",
  description: "Adds two numbers.",
  input: z.object({ a: z.number(), b: z.number().describe("The second number.") }),
  roles: "all",
  execute: async ({ a, b }) => ({ content: String(a + b) }),
};

const tool = (over: Partial<Tool<Record<string, unknown>>>): Tool<Record<string, unknown>> => ({
  name: "probe",
  description: "A probe.",
  input: z.object({}),
  roles: "all",
  execute: async () => ({ content: "ok" }),
  ...over,
});

describe("ToolRegistry", () => {
  it("runs a tool with its validated input and passes the context through", async () => {
    let seen: ToolContext | null = null;
    const registry = new ToolRegistry().register(add).register(
      tool({
        name: "whoami",
        execute: async (_, c) => {
          seen = c;
          return { content: c.agentId };
        },
      }),
    );
    expect(await registry.execute("add", { a: 2, b: 3 }, ctx())).toEqual({ content: "5", isError: false });
    expect(await registry.execute("whoami", {}, ctx({ agentId: "agent-9" }))).toEqual({
      content: "agent-9",
      isError: false,
    });
    expect(seen).toMatchObject({ runId: "run-1", taskId: "task-1", userId: "user-1" });
  });

  it("offers each role the tools meant for it, with JSON Schemas of their input", () => {
    const registry = new ToolRegistry()
      .register(add)
      .register(tool({ name: "write_file", roles: "code" }))
      .register(tool({ name: "triage", roles: ["qa-engineer", "reviewer"] }));
    expect(registry.definitionsFor("product-manager").map((d) => d.name)).toEqual(["add"]);
    expect(registry.definitionsFor("architect").map((d) => d.name)).toEqual(["add", "write_file"]);
    expect(registry.definitionsFor("qa-engineer").map((d) => d.name)).toEqual([
      "add",
      "write_file",
      "triage",
    ]);
    expect(registry.definitionsFor("orchestrator").map((d) => d.name)).toEqual(["add"]);
    expect(registry.definitionsFor("product-manager")[0]).toEqual({
      name: "add",
      description: "Adds two numbers.",
      inputSchema: {
        type: "object",
        properties: { a: { type: "number" }, b: { type: "number", description: "The second number." } },
        required: ["a", "b"],
      },
    });
  });

  it("answers an unknown tool with an error naming the available ones", async () => {
    const registry = new ToolRegistry().register(add);
    expect(await registry.execute("delete_repo", {}, ctx())).toEqual({
      content: 'Unknown tool "delete_repo". Available tools: add.',
      isError: true,
    });
  });

  it("refuses a tool the calling role was not offered", async () => {
    let ran = false;
    const registry = new ToolRegistry().register(
      tool({
        name: "write_file",
        roles: "code",
        execute: async () => {
          ran = true;
          return { content: "written" };
        },
      }),
    );
    const result = await registry.execute("write_file", {}, ctx({ role: "product-manager" }));
    expect(result).toEqual({ content: 'Unknown tool "write_file". Available tools: none.', isError: true });
    expect(ran).toBe(false);
    expect((await registry.execute("write_file", {}, ctx({ role: "architect" }))).content).toBe("written");
  });

  it("answers invalid input with the failing fields named, without running the tool", async () => {
    let ran = false;
    const registry = new ToolRegistry().register({
      ...add,
      execute: async () => {
        ran = true;
        return { content: "" };
      },
    });
    const result = await registry.execute("add", { a: "2" }, ctx());
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(
      /^Invalid input for tool "add":\n- a: .*expected number.*\n- b: .*expected number/,
    );
    expect((await registry.execute("add", "not an object", ctx())).content).toContain("- (root): ");
    expect(ran).toBe(false);
  });

  it("turns a tool that throws or rejects into an error result", async () => {
    const registry = new ToolRegistry()
      .register(tool({ name: "rejects", execute: async () => Promise.reject(new Error("disk full")) }))
      .register(
        tool({
          name: "throws",
          execute: () => {
            throw new TypeError("bad state");
          },
        }),
      );
    expect(await registry.execute("rejects", {}, ctx())).toEqual({
      content: 'Tool "rejects" failed: disk full',
      isError: true,
    });
    expect(await registry.execute("throws", {}, ctx())).toEqual({
      content: 'Tool "throws" failed: bad state',
      isError: true,
    });
  });

  it("keeps a tool's own error result as an error", async () => {
    const registry = new ToolRegistry().register(
      tool({ name: "missing", execute: async () => ({ content: "No such file", isError: true }) }),
    );
    expect(await registry.execute("missing", {}, ctx())).toEqual({ content: "No such file", isError: true });
  });

  it("stops a tool that takes too long and aborts its signal", async () => {
    let aborted = false;
    const registry = new ToolRegistry({ timeoutMs: 50 }).register(
      tool({
        name: "hangs",
        execute: (_, c) =>
          new Promise(() => {
            c.signal.addEventListener("abort", () => {
              aborted = true;
            });
          }),
      }),
    );
    const started = Date.now();
    expect(await registry.execute("hangs", {}, ctx())).toEqual({
      content: 'Tool "hangs" timed out after 50 ms.',
      isError: true,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(aborted).toBe(true);
  });

  it("lets one tool have a longer timeout than the registry's", async () => {
    const registry = new ToolRegistry({ timeoutMs: 20 }).register(
      tool({
        name: "slow",
        timeoutMs: 1_000,
        execute: async () => {
          await sleep(80);
          return { content: "done" };
        },
      }),
    );
    expect(await registry.execute("slow", {}, ctx())).toEqual({ content: "done", isError: false });
  });

  it("stops a running tool when the step is cancelled, and runs nothing once it is", async () => {
    const registry = new ToolRegistry().register(
      tool({ name: "hangs", execute: () => new Promise(() => {}) }),
    );
    const controller = new AbortController();
    const pending = registry.execute("hangs", {}, ctx({ signal: controller.signal }));
    controller.abort();
    expect(await pending).toEqual({
      content: 'Tool "hangs" was stopped: the step was cancelled.',
      isError: true,
    });
    expect((await registry.execute("hangs", {}, ctx({ signal: controller.signal }))).content).toBe(
      'Tool "hangs" was not run: the step was cancelled.',
    );
  });

  it("truncates long output with a note", async () => {
    const registry = new ToolRegistry({ maxOutputChars: 100 }).register(
      tool({ name: "big", execute: async () => ({ content: "z".repeat(250) }) }),
    );
    const result = await registry.execute("big", {}, ctx());
    expect(result.isError).toBe(false);
    expect(result.content.startsWith("z".repeat(100))).toBe(true);
    expect(result.content).not.toContain("z".repeat(101));
    expect(result.content).toContain("[Output truncated: showed the first 100 of 250 characters]");
  });

  it("rejects bad registrations at once", () => {
    const registry = new ToolRegistry().register(add);
    expect(() => registry.register(add)).toThrow(/already registered/);
    expect(() => registry.register(tool({ name: "has space" }))).toThrow(/Invalid tool name/);
    expect(() =>
      registry.register({ ...tool({ name: "scalar" }), input: z.string() } as unknown as Tool<unknown>),
    ).toThrow(/must take an object/);
  });
});

describe("createDefaultToolRegistry", () => {
  it("offers the think tool to the roles that touch code, and it changes nothing", async () => {
    const registry = createDefaultToolRegistry();
    expect(registry.definitionsFor("senior-developer").map((d) => d.name)).toEqual(["think"]);
    expect(registry.definitionsFor("product-manager")).toEqual([]);
    expect(
      await registry.execute("think", { thought: "The test fails because the fixture is stale." }, ctx()),
    ).toEqual({
      content: "Thought recorded.",
      isError: false,
    });
    expect((await registry.execute("think", {}, ctx())).isError).toBe(true);
  });
});
