// The prompt for chatting with an agent outside a run. The agent's memory is the conversation itself, cut
// from the oldest end to fit the model's context window.
import { EngineError } from "../errors";
import { truncateMiddle } from "../lib/truncate-text";
import type { ModelContentBlock, ModelMessage } from "../providers/types";
import { type AgentRole, ROLE_CATALOG } from "./catalog";
import {
  estimateBlockTokens,
  estimatePromptTokens,
  estimateTokens,
  MESSAGE_OVERHEAD_TOKENS,
} from "./estimate-tokens";
import { attachmentBlocks, mergeTextBlocks, type PromptAttachment } from "./prompt-attachments";
import { rulesSection } from "./prompt-rules";

export type ChatHistoryEntry = {
  /**
   * `agent` entries are this agent's own turns, unless `authorId` and the agent's `id` are both given and
   * differ (another agent's message, said to this one). Callers may also pass other agents' words as `user`.
   */
  authorType: "user" | "agent" | "system";
  /** The person's or agent's display name. */
  author: string;
  authorId?: string | null;
  content: string;
  createdAt: Date | string;
};

export type ChatPromptInput = {
  /** `id` is compared with the history's `authorId`s to tell the agent's own messages from other agents'. */
  agent: { id?: string; name: string; systemPrompt: string | null };
  role: AgentRole;
  rules?: string | null;
  project?: { name: string; description: string | null } | null;
  /** The conversation, in any order: it is sorted by `createdAt`. */
  history: ChatHistoryEntry[];
  contextWindowTokens: number;
  maxOutputTokens: number;
  /** Files sent with the newest message; they join the last message from someone else. */
  attachments?: PromptAttachment[];
};

export type ChatPrompt = {
  system: string;
  messages: ModelMessage[];
  /** How many history entries were left out to fit the context window. */
  omitted: number;
};

type Turn = { role: "user" | "assistant"; text: string };

export function buildChatPrompt(input: ChatPromptInput): ChatPrompt {
  const system = buildChatSystem(input);
  const budget = input.contextWindowTokens - input.maxOutputTokens - estimateTokens(system);
  const turns = sortByTime(input.history)
    .filter((entry) => entry.content.trim() !== "")
    .map((entry) => toTurn(entry, input.agent));
  const attachments = attachmentBlocks(input.attachments ?? []);
  const attachmentCost = attachments.reduce((sum, block) => sum + estimateBlockTokens(block) + 1, 0);
  if (budget - attachmentCost < MIN_MESSAGE_TOKENS) {
    throw new EngineError(
      "VALIDATION_ERROR",
      "The agent's prompt and attachments do not fit the model's context window; shorten the system prompt or rules, send smaller files, or choose a model with a larger window.",
      [
        {
          field: attachments.length > 0 ? "attachments" : "systemPrompt",
          message: "too large for the model",
        },
      ],
    );
  }

  const kept = keepNewest(turns, budget - attachmentCost);
  // Merging can only lower the estimate (one overhead instead of several), but verify rather than trust it.
  for (let start = 0; start < kept.length; start++) {
    const { messages, dropped } = assemble(kept.slice(start), attachments);
    if (messages.length === 0) break;
    if (estimatePromptTokens({ system, messages }) <= input.contextWindowTokens - input.maxOutputTokens) {
      return { system, messages, omitted: turns.length - kept.length + start + dropped };
    }
  }
  throw new EngineError("VALIDATION_ERROR", "The conversation has no message for the agent to answer.", [
    { field: "history", message: "no message from a person or another agent" },
  ]);
}

/** Below this the newest message would be cut to nothing useful. */
const MIN_MESSAGE_TOKENS = 64;

function buildChatSystem(input: ChatPromptInput): string {
  const base = input.agent.systemPrompt?.trim() || ROLE_CATALOG[input.role].systemPrompt;
  const parts = [base, `Your name is "${input.agent.name}".`];
  const rules = rulesSection(input.rules, "The project's rules file for you.");
  if (rules) parts.push(rules);
  const project = input.project
    ? ` of the project "${input.project.name}"${input.project.description?.trim() ? ` (${input.project.description.trim()})` : ""}`
    : "";
  parts.push(
    [
      "## This conversation",
      `You are chatting with the people${project} outside a task run. Answer in Markdown, directly and briefly; no \`\`\`json block is needed here.`,
      'Messages from others start with "<name> wrote:"; do not start your own answers that way.',
      "This conversation is your only memory; its oldest messages may have been left out to fit your context.",
    ].join("\n"),
  );
  return parts.join("\n\n");
}

function sortByTime(history: ChatHistoryEntry[]): ChatHistoryEntry[] {
  const times = history.map((h) =>
    h.createdAt instanceof Date ? h.createdAt.getTime() : Date.parse(h.createdAt),
  );
  // Without usable times the given order is the best there is.
  if (times.some((t) => Number.isNaN(t))) return history;
  return history
    .map((entry, index) => ({ entry, index, time: times[index] ?? 0 }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((x) => x.entry);
}

function toTurn(entry: ChatHistoryEntry, agent: ChatPromptInput["agent"]): Turn {
  const content = entry.content.trim();
  const isSelf =
    entry.authorType === "agent" &&
    (agent.id === undefined || !entry.authorId || entry.authorId === agent.id);
  if (isSelf) return { role: "assistant", text: content };
  if (entry.authorType === "system") return { role: "user", text: `[system notice]\n${content}` };
  const who = entry.authorType === "agent" ? `${entry.author} (another agent)` : entry.author;
  return { role: "user", text: `${who} wrote:\n${content}` };
}

const turnCost = (turn: Turn) => estimateTokens(turn.text) + MESSAGE_OVERHEAD_TOKENS;

/**
 * The newest turns whose estimated cost fits `budget`, oldest first. The newest turn is always kept, cut in
 * the middle if it alone is too long; older turns stop at the first that does not fit, so no gap appears.
 */
function keepNewest(turns: Turn[], budget: number): Turn[] {
  const kept: Turn[] = [];
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    let turn = turns[i]!;
    if (kept.length === 0 && turnCost(turn) > budget) turn = shrinkToFit(turn, budget);
    if (used + turnCost(turn) > budget) break;
    used += turnCost(turn);
    kept.unshift(turn);
  }
  return kept;
}

/** The longest middle-truncation of the turn's text that fits, found by bisection on its length. */
function shrinkToFit(turn: Turn, budget: number): Turn {
  let low = 0;
  let high = turn.text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (turnCost({ ...turn, text: truncateMiddle(turn.text, mid) }) <= budget) low = mid;
    else high = mid - 1;
  }
  return { ...turn, text: truncateMiddle(turn.text, low) };
}

/**
 * Alternating messages that start with a user message (Anthropic rejects anything else): neighbouring turns
 * of one role are merged, and assistant turns left at the start by trimming are dropped. Attachments join
 * the last user message.
 */
function assemble(
  turns: Turn[],
  attachments: ModelContentBlock[],
): { messages: ModelMessage[]; dropped: number } {
  const merged: Turn[] = [];
  let dropped = 0;
  for (const turn of turns) {
    const last = merged.at(-1);
    if (last && last.role === turn.role) last.text = `${last.text}\n\n${turn.text}`;
    else if (merged.length > 0 || turn.role === "user") merged.push({ ...turn });
    else dropped++;
  }
  const lastUser = merged.findLastIndex((t) => t.role === "user");
  const messages = merged.map((turn, index): ModelMessage => {
    if (index !== lastUser || attachments.length === 0) return { role: turn.role, content: turn.text };
    return { role: "user", content: mergeTextBlocks([{ type: "text", text: turn.text }, ...attachments]) };
  });
  return { messages, dropped };
}
