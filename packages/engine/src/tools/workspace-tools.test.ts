import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toAnthropicParams } from "../providers/anthropic-request";
import { toOpenAiParams } from "../providers/openai-request";
import { createGitRunner } from "../workspaces/git-runner";
import { createDefaultToolRegistry } from "./default-tools";
import type { ToolContext } from "./registry";

let root: string;
const registry = createDefaultToolRegistry({
  workspaceTools: { sandbox: { mode: "bwrap" }, git: createGitRunner(), commandLimits: { timeoutMs: 5_000 } },
});
beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), "crewdeck-tools-")));
});
afterEach(() => rm(root, { recursive: true, force: true }));
const ctx = (over: Partial<ToolContext> = {}): ToolContext => ({
  runId: "r",
  taskId: "t",
  projectId: "p",
  agentId: "a",
  userId: "u",
  signal: new AbortController().signal,
  workspace: { root, repositories: [], network: false },
  ...over,
});
const names = (role: Parameters<typeof registry.definitionsFor>[0]) =>
  registry.definitionsFor(role, { workspace: true }).map((d) => d.name);

describe("workspace tools", () => {
  it("offers reading roles read tools, developers and QA editing and commands, and nobody any without a workspace", () => {
    const reading = ["str_replace_based_edit_tool", "search_code", "git_diff"];
    expect(names("product-manager")).toEqual(reading);
    expect(names("reviewer")).toEqual(["think", ...reading]);
    expect(names("senior-developer")).toEqual(["think", ...reading, "bash"]);
    expect(names("qa-engineer")).toEqual(["think", ...reading, "bash"]);
    expect(names("orchestrator")).toEqual([]);
    expect(registry.definitionsFor("senior-developer").map((d) => d.name)).toEqual(["think"]);
  });

  it("runs bash in the workspace, refuses it to reading roles, and honours the run's cancel signal", async () => {
    const ok = await registry.execute("bash", { command: "pwd && exit 4" }, ctx({ role: "qa-engineer" }));
    expect(ok).toEqual({ content: `${root}\n\n[exit code 4]`, isError: false });
    expect((await registry.execute("bash", { command: "pwd" }, ctx({ role: "reviewer" }))).content).toMatch(
      /^Unknown tool "bash"/,
    );
    const controller = new AbortController();
    const pending = registry.execute(
      "bash",
      { command: "sleep 20" },
      ctx({ role: "senior-developer", signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 100);
    expect((await pending).content).toMatch(/cancelled/);
  });

  it("sends the editor and bash to Anthropic as client tools, and to OpenAI as functions with their schema", () => {
    const tools = registry.definitionsFor("senior-developer", { workspace: true });
    const request = { model: "m", system: "s", messages: [], maxTokens: 10, temperature: 0, tools };
    const anthropic = toAnthropicParams(request).tools!;
    expect(anthropic[1]).toEqual({ type: "text_editor_20250728", name: "str_replace_based_edit_tool" });
    expect(anthropic[4]).toEqual({ type: "bash_20250124", name: "bash" });
    expect(anthropic[2]).toMatchObject({ name: "search_code", input_schema: { type: "object" } });
    const withLimit = toAnthropicParams({
      ...request,
      tools: [{ ...tools[1]!, anthropicClientTool: { type: "text_editor_20250728", maxCharacters: 8000 } }],
    });
    expect(withLimit.tools).toEqual([
      { type: "text_editor_20250728", name: "str_replace_based_edit_tool", max_characters: 8000 },
    ]);

    const openai = toOpenAiParams(request, "max_tokens").tools!;
    const editor = openai[1] as unknown as {
      type: string;
      function: { name: string; parameters: Record<string, unknown> };
    };
    expect(editor.type).toBe("function");
    expect(editor.function.name).toBe("str_replace_based_edit_tool");
    expect(editor.function.parameters).toMatchObject({
      type: "object",
      required: ["command", "path"],
      properties: {
        command: { type: "string", enum: ["view", "create", "str_replace", "insert"] },
        view_range: { type: "array", items: { type: "integer" }, minItems: 2, maxItems: 2 },
      },
    });
    expect(Object.keys(editor.function.parameters.properties as object)).toEqual([
      "command",
      "path",
      "file_text",
      "old_str",
      "new_str",
      "insert_line",
      "insert_text",
      "view_range",
    ]);
    const bash = openai[4] as unknown as { function: { name: string; parameters: { properties: object } } };
    expect(bash.function.name).toBe("bash");
    expect(Object.keys(bash.function.parameters.properties)).toEqual(["command", "restart"]);
    expect(JSON.stringify(openai)).not.toContain("anthropicClientTool");
  });
});
