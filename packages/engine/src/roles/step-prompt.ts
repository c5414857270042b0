// The prompt for one step of a run: who the agent is, its answer contract, and everything the step needs to
// know (task, instructions, earlier outputs, attachments, people's messages). Deterministic: the same input
// always gives the same prompt, so a resumed step asks the same question and prompt caching can hit.
import { truncateMiddle } from "../lib/truncate-text";
import type { ModelContentBlock, ModelMessage } from "../providers/types";
import { type AgentRole, ROLE_CATALOG } from "./catalog";
import { contractInstructions } from "./contract-instructions";
import { parseRoleOutput, type RoleOutputs, validateRoleOutput } from "./output-contracts";
import { attachmentBlocks, mergeTextBlocks, type PromptAttachment } from "./prompt-attachments";
import { rulesSection } from "./prompt-rules";
import { renderRoleOutput } from "./render-role-output";

// Chatting outside a run lives in its own file; the engine reaches both prompt builders from here.
export { buildChatPrompt, type ChatHistoryEntry, type ChatPrompt, type ChatPromptInput } from "./chat-prompt";

export type StepPromptInput = {
  role: AgentRole;
  agent: { name: string; systemPrompt: string | null };
  /** Content of the agent's rules file, when known. */
  rules?: string | null;
  project?: { name: string; description: string | null } | null;
  task: {
    title: string;
    description: string | null;
    prompt: string | null;
    type: string;
    priority: string;
    complexity: string;
    definitionOfDone: string | null;
  };
  instructions: string | null;
  attachments: PromptAttachment[];
  /** Finished steps, in pipeline order. `data` is the step's parsed structured output when the engine kept it. */
  earlierSteps: { role: AgentRole; agentName: string; output: string; data?: unknown }[];
  /** The task's working trees, for roles that touch code in a task with repositories. */
  workspace?: StepWorkspace | undefined;
  /** Messages people posted into the task conversation during the run, oldest first. */
  userMessages?: { author: string; content: string }[];
};

export type StepWorkspace = {
  taskBranch: string;
  repositories: { fullName: string; directory: string; baseBranch: string }[];
  /** The names of the tools the step is offered. */
  tools: string[];
};

/** An earlier step's free text when it has no valid structured part. */
export const MAX_EARLIER_OUTPUT_CHARS = 8_000;
/** The architect's full answer as the developers read it. */
export const MAX_PLAN_CHARS = 40_000;

/** The roles that implement the architect's plan and so read it in full, not just its summary. */
const PLAN_READERS: readonly AgentRole[] = ["senior-developer", "junior-developer"];

export function buildStepPrompt(input: StepPromptInput): { system: string; messages: ModelMessage[] } {
  return { system: buildStepSystem(input), messages: [{ role: "user", content: buildStepContent(input) }] };
}

/** The agent's own prompt (or its role's default), its rules file, then the role's output contract. */
export function buildStepSystem(input: Pick<StepPromptInput, "role" | "agent" | "rules">): string {
  const base = input.agent.systemPrompt?.trim() || ROLE_CATALOG[input.role].systemPrompt;
  const rules = rulesSection(
    input.rules,
    "The project's rules file for you. Follow it unless it contradicts the answer format below.",
  );
  const parts = [
    base,
    `Your name in this crew is "${input.agent.name}".`,
    rules,
    contractInstructions(input.role),
  ];
  return parts.filter((p) => p !== null).join("\n\n");
}

function buildStepContent(input: StepPromptInput): ModelContentBlock[] {
  const blocks: ModelContentBlock[] = [{ type: "text", text: describeTask(input) }];
  if (input.workspace) blocks.push({ type: "text", text: describeWorkspace(input.workspace) });
  if (input.instructions?.trim()) {
    blocks.push({ type: "text", text: `## Instructions for this run\n${input.instructions.trim()}` });
  }
  if (input.earlierSteps.length > 0) {
    blocks.push({ type: "text", text: describeEarlierSteps(input.role, input.earlierSteps) });
  }
  if (input.attachments.length > 0) {
    blocks.push({ type: "text", text: "## Attachments" }, ...attachmentBlocks(input.attachments));
  }
  const messages = input.userMessages?.filter((m) => m.content.trim() !== "") ?? [];
  if (messages.length > 0) {
    blocks.push({ type: "text", text: describeUserMessages(messages) });
  }
  const stepNumber = input.earlierSteps.length + 1;
  blocks.push({
    type: "text",
    text: `## Your step\nYou are step ${stepNumber}, the ${input.role}. Do your part now, and end with the \`\`\`json block described in your instructions.`,
  });
  return mergeTextBlocks(blocks);
}

function describeTask({ task, project }: StepPromptInput): string {
  const lines = [`# Task: ${task.title}`];
  if (project) {
    const description = project.description?.trim();
    lines.push(`Project: ${project.name}${description ? ` (${description})` : ""}`);
  }
  lines.push(`Type: ${task.type} · Priority: ${task.priority} · Complexity: ${task.complexity}`);
  const sections: [string, string | null][] = [
    ["Description", task.description],
    ["Prompt", task.prompt],
    ["Definition of done", task.definitionOfDone],
  ];
  for (const [title, body] of sections) {
    if (body?.trim()) lines.push("", `## ${title}`, body.trim());
  }
  return lines.join("\n");
}

function describeWorkspace(workspace: StepWorkspace): string {
  const repositories = workspace.repositories.map(
    (r) => `- ${r.fullName} in \`${r.directory}/\` (branched from \`${r.baseBranch}\`)`,
  );
  return [
    "## Workspace",
    `The task's repositories are checked out on the branch \`${workspace.taskBranch}\`, one directory each under the workspace root:`,
    ...repositories,
    `Your tools: ${workspace.tools.map((t) => `\`${t}\``).join(", ")}. Paths are relative to the workspace root.`,
    "Change files with the tools; do not commit, push or open a pull request yourself. When the crew is done, Crewdeck commits what changed on the task branch, pushes it and opens (or updates) the pull request, listing the test commands run with `bash`.",
  ].join("\n");
}

function describeEarlierSteps(role: AgentRole, steps: StepPromptInput["earlierSteps"]): string {
  const parts = ["## Earlier steps", "Outputs of the steps before yours, in order."];
  steps.forEach((step, index) => {
    const full = step.role === "architect" && PLAN_READERS.includes(role);
    const body = describeEarlierStep(step, full);
    parts.push(
      `<step number="${index + 1}" role="${step.role}" agent="${attr(step.agentName)}"${full ? ' detail="full plan"' : ""}>\n${body}\n</step>`,
    );
  });
  return parts.join("\n\n");
}

/**
 * Structured data rendered compactly when the step produced valid data; its prose otherwise. Developers get
 * the architect's whole answer as well, because they implement it.
 */
function describeEarlierStep(step: StepPromptInput["earlierSteps"][number], full: boolean): string {
  const structured = structuredOutput(step);
  const prose = structured?.markdown ?? step.output.trim();
  if (full) {
    const rendered = structured
      ? `\n\n### The plan's structured part\n${renderRoleOutput(step.role, structured.data)}`
      : "";
    return `${truncateMiddle(prose || "(no text)", MAX_PLAN_CHARS)}${rendered}`;
  }
  if (structured) return renderRoleOutput(step.role, structured.data);
  return prose ? truncateMiddle(prose, MAX_EARLIER_OUTPUT_CHARS) : "(the step produced no output)";
}

function structuredOutput(
  step: StepPromptInput["earlierSteps"][number],
): { data: RoleOutputs[AgentRole]; markdown: string | null } | null {
  const parsed = parseRoleOutput(step.role, step.output);
  if (step.data !== undefined && step.data !== null) {
    const checked = validateRoleOutput(step.role, step.data);
    if (checked.ok) return { data: checked.data, markdown: parsed.markdown || null };
  }
  return parsed.ok ? { data: parsed.data, markdown: parsed.markdown || null } : null;
}

function describeUserMessages(messages: { author: string; content: string }[]): string {
  const body = messages
    .map((m) => `<message author="${attr(m.author)}">\n${m.content.trim()}\n</message>`)
    .join("\n");
  return `## Messages from people during this run\nOldest first. They take precedence over earlier instructions and outputs.\n${body}`;
}

/** Names go into tag attributes; a quote in a name must not end the attribute early. */
function attr(value: string): string {
  return value.replaceAll('"', "'");
}
