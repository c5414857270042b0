// The tools agents may call during a step. Whatever goes wrong inside a tool (unknown name, bad input, a
// throw, a hang) comes back as an error result the model can read and recover from, never as an exception
// that would fail the whole step.
import { z } from "zod";
import { describeZodIssues } from "../lib/describe-zod-issues";
import { truncateEnd } from "../lib/truncate-text";
import type { AnthropicClientTool, ToolDefinition } from "../providers/types";
import { type AgentRole, ROLE_CATALOG } from "../roles/catalog";

/** One repository of the task: a working tree under the workspace root, its git data kept outside it. */
export type ToolRepository = {
  /** The working tree (a real path under `root`). */
  path: string;
  /**
   * The git directory, outside the workspace so an agent cannot change the config or hooks that the
   * server's own git commands (commit, push) would obey; sandboxed commands see it read-only.
   */
  gitDir: string;
  /** The branch the task branch started from, for diffs against it. */
  baseBranch: string;
};

/** The task's working copies a step's tools act on; absent for steps that have none. */
export type ToolWorkspace = {
  /** The real path (symlinks resolved) of the directory holding one working tree per repository. */
  root: string;
  repositories: ToolRepository[];
  /** Whether sandboxed commands may reach the network (the project's choice; off by default). */
  network: boolean;
};

export type ToolContext = {
  runId: string | null;
  taskId: string | null;
  projectId: string | null;
  agentId: string;
  userId: string;
  /**
   * The calling agent's role. When given, a tool not offered to that role is refused, so a model that
   * names a tool it was never given cannot reach it.
   */
  role?: AgentRole;
  /** Aborted when the run is cancelled or the tool times out; long-running tools should honour it. */
  signal: AbortSignal;
  /** The task's workspace. Tools that need one are neither offered nor run without it. */
  workspace?: ToolWorkspace;
};

export type ToolResult = { content: string; isError?: boolean };

export type Tool<I = unknown> = {
  /** Letters, digits, `_` and `-`, at most 64 characters (what Anthropic and OpenAI accept). */
  name: string;
  description: string;
  input: z.ZodType<I>;
  /** Which roles get it; "code" = the roles whose catalog entry touches code. */
  roles: "all" | "code" | AgentRole[];
  /** Overrides the registry's timeout for this tool. */
  timeoutMs?: number;
  /** A tool over the task's repositories: offered and run only when the step has a workspace. */
  needsWorkspace?: boolean;
  /** Declares the tool to Anthropic by type (see AnthropicClientTool); `input` still validates each call. */
  anthropicClientTool?: AnthropicClientTool;
  execute(input: I, ctx: ToolContext): Promise<ToolResult>;
};

export type ToolRegistryOptions = {
  /** How long a tool may run before its call fails with a timeout. */
  timeoutMs?: number;
  /** Longer results are cut with a note, so one tool call cannot fill the context window. */
  maxOutputChars?: number;
};

export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;
export const DEFAULT_TOOL_MAX_OUTPUT_CHARS = 50_000;

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export class ToolRegistry {
  private readonly tools = new Map<string, Tool<unknown>>();
  private readonly schemas = new Map<string, Record<string, unknown>>();
  private readonly timeoutMs: number;
  private readonly maxOutputChars: number;

  constructor(options: ToolRegistryOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    this.maxOutputChars = options.maxOutputChars ?? DEFAULT_TOOL_MAX_OUTPUT_CHARS;
  }

  /** Adds a tool. A bad name, a duplicate, or an input that is not an object is a programming error: it throws. */
  register<I>(tool: Tool<I>): this {
    if (!TOOL_NAME.test(tool.name)) throw new Error(`Invalid tool name "${tool.name}"`);
    if (this.tools.has(tool.name)) throw new Error(`Tool "${tool.name}" is already registered`);
    const schema = inputSchemaOf(tool.input);
    if (schema.type !== "object") throw new Error(`Tool "${tool.name}" must take an object as input`);
    this.tools.set(tool.name, tool as unknown as Tool<unknown>);
    this.schemas.set(tool.name, schema);
    return this;
  }

  /**
   * The tools offered to a role, in the order they were registered, with JSON Schemas from their zod input.
   * Tools that need a workspace are left out unless the step has one.
   */
  definitionsFor(role: AgentRole, options: { workspace?: boolean } = {}): ToolDefinition[] {
    return [...this.tools.values()]
      .filter((tool) => isOffered(tool, role) && (options.workspace === true || !tool.needsWorkspace))
      .map((tool) => ({
        name: tool.name,
        description: tool.description,
        inputSchema: this.schemas.get(tool.name) ?? {},
        ...(tool.anthropicClientTool && { anthropicClientTool: tool.anthropicClientTool }),
      }));
  }

  async execute(
    name: string,
    rawInput: unknown,
    ctx: ToolContext,
  ): Promise<{ content: string; isError: boolean }> {
    const tool = this.tools.get(name);
    const hasWorkspace = ctx.workspace !== undefined;
    if (
      !tool ||
      (ctx.role !== undefined && !isOffered(tool, ctx.role)) ||
      (tool.needsWorkspace && !hasWorkspace)
    ) {
      const available = ctx.role
        ? this.definitionsFor(ctx.role, { workspace: hasWorkspace }).map((d) => d.name)
        : [...this.tools.values()].filter((t) => hasWorkspace || !t.needsWorkspace).map((t) => t.name);
      return failure(`Unknown tool "${name}". Available tools: ${available.join(", ") || "none"}.`);
    }
    if (ctx.signal.aborted) return failure(`Tool "${name}" was not run: the step was cancelled.`);

    const parsed = tool.input.safeParse(rawInput);
    if (!parsed.success) {
      const problems = describeZodIssues(parsed.error).map((p) => `- ${p}`);
      return failure([`Invalid input for tool "${name}":`, ...problems].join("\n"));
    }

    const timeoutMs = tool.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    const onAbort = () => controller.abort(ctx.signal.reason);
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<{ content: string; isError: boolean }>((resolve) => {
      timer = setTimeout(() => {
        // Resolve first: aborting runs the cancellation listener below, and the first resolve wins.
        resolve(failure(`Tool "${name}" timed out after ${timeoutMs} ms.`));
        controller.abort(new Error("timeout"));
      }, timeoutMs);
      controller.signal.addEventListener(
        "abort",
        () => resolve(failure(`Tool "${name}" was stopped: the step was cancelled.`)),
        { once: true },
      );
    });

    try {
      const run = tool.execute(parsed.data, { ...ctx, signal: controller.signal }).then(
        (result) => this.finish(result),
        (error: unknown) => failure(`Tool "${name}" failed: ${errorMessage(error)}`),
      );
      return await Promise.race([run, stopped]);
    } catch (error) {
      // A tool that throws synchronously instead of rejecting.
      return failure(`Tool "${name}" failed: ${errorMessage(error)}`);
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener("abort", onAbort);
    }
  }

  private finish(result: ToolResult): { content: string; isError: boolean } {
    const content =
      typeof result?.content === "string" ? result.content : JSON.stringify(result?.content ?? "");
    return {
      content: truncateEnd(content, this.maxOutputChars, "Output"),
      isError: result?.isError === true,
    };
  }
}

function isOffered(tool: Tool<unknown>, role: AgentRole): boolean {
  if (tool.roles === "all") return true;
  if (tool.roles === "code") return ROLE_CATALOG[role].tools === "repository";
  return tool.roles.includes(role);
}

/** The JSON Schema of what the model sends (`io: "input"`), without `$schema`, which providers do not want. */
function inputSchemaOf(input: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(input, { io: "input", unrepresentable: "any" });
  return rest;
}

function failure(content: string): { content: string; isError: boolean } {
  return { content, isError: true };
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
