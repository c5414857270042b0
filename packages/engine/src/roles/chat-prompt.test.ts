import { describe, expect, it } from "vitest";
import { EngineError } from "../errors";
import type { ModelMessage } from "../providers/types";
import { buildChatPrompt, type ChatHistoryEntry, type ChatPromptInput } from "./chat-prompt";
import { estimatePromptTokens, estimateTokens, IMAGE_TOKENS } from "./estimate-tokens";

const at = (minute: number) => new Date(Date.UTC(2026, 1, 12, 9, minute));
const user = (minute: number, content: string, author = "Grace"): ChatHistoryEntry => ({
  authorType: "user",
  author,
  content,
  createdAt: at(minute),
});
const self = (minute: number, content: string): ChatHistoryEntry => ({
  authorType: "agent",
  author: "Archie",
  content,
  createdAt: at(minute),
});

const input = (history: ChatHistoryEntry[], over: Partial<ChatPromptInput> = {}): ChatPromptInput => ({
  agent: { name: "Archie", systemPrompt: "You are the architect." },
  role: "architect",
  project: { name: "Billing", description: null },
  history,
  contextWindowTokens: 200_000,
  maxOutputTokens: 8_000,
  ...over,
});

const text = (m: ModelMessage | undefined) =>
  typeof m?.content === "string"
    ? m.content
    : (m?.content ?? []).map((b) => (b.type === "text" ? b.text : "")).join("");

/** A long conversation whose messages are numbered, so what was kept can be read back. */
const conversation = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? user(i, `question ${i} ${"q".repeat(40 + (i % 7) * 30)}`)
      : self(i, `answer ${i} ${"a".repeat(60 + (i % 5) * 50)}`),
  );

describe("estimateTokens", () => {
  it("counts ASCII at 3.5 characters a token and other characters as a token each", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcdefg")).toBe(2);
    expect(estimateTokens("abcdefgh")).toBe(3);
    expect(estimateTokens("日本語")).toBe(3);
    expect(estimateTokens("ab日本")).toBe(3);
  });
});

describe("buildChatPrompt", () => {
  it("keeps the whole conversation when it fits, as alternating turns", () => {
    const prompt = buildChatPrompt(input([user(1, "Which database?"), self(2, "libSQL."), user(3, "Why?")]));
    expect(prompt.messages).toEqual([
      { role: "user", content: "Grace wrote:\nWhich database?" },
      { role: "assistant", content: "libSQL." },
      { role: "user", content: "Grace wrote:\nWhy?" },
    ]);
    expect(prompt.omitted).toBe(0);
    expect(prompt.system.startsWith("You are the architect.")).toBe(true);
    expect(prompt.system).toContain('the people of the project "Billing"');
    expect(prompt.system).not.toContain("## Answer format");
  });

  it.each([600, 1_000, 2_500, 6_000])(
    "trims from the oldest end and never exceeds a %i-token window",
    (window) => {
      const history = conversation(120);
      const prompt = buildChatPrompt(input(history, { contextWindowTokens: window, maxOutputTokens: 200 }));
      expect(estimatePromptTokens(prompt)).toBeLessThanOrEqual(window - 200);
      expect(prompt.omitted).toBeGreaterThan(0);
      // What is kept is the newest stretch of the conversation, without gaps.
      const numbers = prompt.messages.flatMap((m) =>
        [...text(m).matchAll(/(?:question|answer) (\d+)/g)].map((x) => Number(x[1])),
      );
      expect(numbers.at(-1)).toBe(119);
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
      expect(numbers[0]).toBe(120 - numbers.length);
      expect(prompt.omitted).toBe(120 - numbers.length);
      expect(prompt.messages[0]?.role).toBe("user");
    },
  );

  it("keeps more of the conversation in a larger window", () => {
    const history = conversation(120);
    const small = buildChatPrompt(input(history, { contextWindowTokens: 2_000, maxOutputTokens: 200 }));
    const large = buildChatPrompt(input(history, { contextWindowTokens: 4_000, maxOutputTokens: 200 }));
    expect(large.omitted).toBeLessThan(small.omitted);
  });

  it("merges neighbouring turns of one side, other agents' and system notices included", () => {
    const prompt = buildChatPrompt(
      input(
        [
          user(1, "Can we shard?", "Grace"),
          user(2, "And cache?", "Linus"),
          {
            authorType: "agent",
            author: "Ada",
            authorId: "agent-ada",
            content: "I can build either.",
            createdAt: at(3),
          },
          { authorType: "system", author: "system", content: "Budget at 80%", createdAt: at(4) },
          { ...self(5, "Cache first."), authorId: "agent-archie" },
          self(6, "Then shard."),
        ],
        { agent: { id: "agent-archie", name: "Archie", systemPrompt: null } },
      ),
    );
    expect(prompt.messages).toEqual([
      {
        role: "user",
        content:
          "Grace wrote:\nCan we shard?\n\nLinus wrote:\nAnd cache?\n\nAda (another agent) wrote:\nI can build either.\n\n[system notice]\nBudget at 80%",
      },
      { role: "assistant", content: "Cache first.\n\nThen shard." },
    ]);
  });

  it("starts with a user message when the conversation (or what is kept of it) starts with the agent", () => {
    const prompt = buildChatPrompt(
      input([self(1, "Hello, I am Archie."), self(2, "Ask me anything."), user(3, "Hi")]),
    );
    expect(prompt.messages).toEqual([{ role: "user", content: "Grace wrote:\nHi" }]);
    expect(prompt.omitted).toBe(2);

    // Trimming can leave the agent's answer first; it is dropped rather than sent as the first turn.
    const history = [user(1, "x".repeat(4_000)), self(2, "y".repeat(400)), user(3, "z".repeat(400))];
    const trimmed = buildChatPrompt(input(history, { contextWindowTokens: 900, maxOutputTokens: 100 }));
    expect(trimmed.messages.map((m) => m.role)).toEqual(["user"]);
    expect(text(trimmed.messages[0])).toContain("zzz");
  });

  it("sorts the history by time, whatever order it comes in", () => {
    const prompt = buildChatPrompt(input([user(3, "third"), user(1, "first"), self(2, "second")]));
    expect(prompt.messages.map(text)).toEqual(["Grace wrote:\nfirst", "second", "Grace wrote:\nthird"]);
  });

  it("cuts the newest message in the middle when it alone is larger than the window", () => {
    const huge = `START ${"w".repeat(20_000)} END`;
    const prompt = buildChatPrompt(
      input([user(1, "older"), user(2, huge)], { contextWindowTokens: 1_500, maxOutputTokens: 500 }),
    );
    expect(estimatePromptTokens(prompt)).toBeLessThanOrEqual(1_000);
    const only = text(prompt.messages[0]);
    expect(prompt.messages).toHaveLength(1);
    expect(only).toContain("START");
    expect(only).toContain("END");
    expect(only).toMatch(/characters omitted/);
  });

  it("adds attachments to the last message from someone else, images as image blocks", () => {
    const prompt = buildChatPrompt(
      input([user(1, "Look at this"), self(2, "Looking.")], {
        attachments: [
          { filename: "ui.png", mimeType: "image/png", imageBase64: "iVBORw0KGgo=" },
          { filename: "notes.txt", mimeType: "text/plain", text: "remember the footer" },
        ],
      }),
    );
    const first = prompt.messages[0]!;
    expect(Array.isArray(first.content)).toBe(true);
    expect(first.content).toContainEqual({ type: "image", mediaType: "image/png", data: "iVBORw0KGgo=" });
    expect(text(first)).toContain("Grace wrote:\nLook at this");
    expect(text(first)).toContain("remember the footer");
    expect(prompt.messages[1]).toEqual({ role: "assistant", content: "Looking." });
    expect(estimatePromptTokens(prompt)).toBeGreaterThan(IMAGE_TOKENS);
  });

  it("refuses when the system prompt alone does not fit, naming what is too large", () => {
    const run = () =>
      buildChatPrompt(
        input([user(1, "hi")], {
          agent: { name: "Archie", systemPrompt: "p".repeat(10_000) },
          contextWindowTokens: 3_000,
          maxOutputTokens: 500,
        }),
      );
    expect(run).toThrow(EngineError);
    expect(run).toThrow(/context window/);
  });

  it("refuses a conversation with nothing to answer", () => {
    expect(() => buildChatPrompt(input([]))).toThrow(/no message for the agent to answer/);
    expect(() => buildChatPrompt(input([self(1, "only me")]))).toThrow(EngineError);
  });
});
