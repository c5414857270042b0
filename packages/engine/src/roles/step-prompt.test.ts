import { describe, expect, it } from "vitest";
import type { ModelContentBlock } from "../providers/types";
import { ROLE_CATALOG } from "./catalog";
import { MAX_ATTACHMENT_TEXT_CHARS } from "./prompt-attachments";
import { buildStepPrompt, MAX_EARLIER_OUTPUT_CHARS, type StepPromptInput } from "./step-prompt";

const fence = "```";
const withBlock = (markdown: string, data: unknown) =>
  `${markdown}\n\n${fence}json\n${JSON.stringify(data)}\n${fence}`;

const PM_ANSWER = withBlock("## Problem\nPeople cannot export their invoices.", {
  problem: "People cannot export their invoices.",
  goal: "Invoices download as CSV.",
  acceptanceCriteria: ["GET /invoices.csv returns text/csv with one row per invoice"],
  outOfScope: ["PDF export"],
});
const ARCHITECT_ANSWER = withBlock(
  "## Design\nStream rows with a cursor so memory stays flat.\n\n### Notes for developers\nReuse `toCsvRow` from src/lib/csv.ts; keep the header order stable.",
  {
    design: "Stream rows with a cursor.",
    files: [{ path: "src/invoices/export.ts", change: "create", why: "The CSV stream" }],
    interfaces: ["exportInvoices(userId: string): AsyncIterable<string>"],
  },
);

const base = (over: Partial<StepPromptInput> = {}): StepPromptInput => ({
  role: "senior-developer",
  agent: { name: "Ada", systemPrompt: null },
  project: { name: "Billing", description: "The invoicing service" },
  task: {
    title: "Export invoices as CSV",
    description: "Customers asked for CSV export.",
    prompt: null,
    type: "feature",
    priority: "high",
    complexity: "moderate",
    definitionOfDone: "Merged with tests",
  },
  instructions: "Use the existing csv helper.",
  attachments: [],
  earlierSteps: [
    { role: "product-manager", agentName: "Pam", output: PM_ANSWER },
    { role: "architect", agentName: "Archie", output: ARCHITECT_ANSWER },
  ],
  ...over,
});

const textOf = (content: string | ModelContentBlock[]) =>
  typeof content === "string"
    ? content
    : content.map((b) => (b.type === "text" ? b.text : `[${b.type}]`)).join("\n---\n");

describe("buildStepPrompt", () => {
  it("puts the role's prompt, the agent's name and the output contract in the system prompt", () => {
    const { system } = buildStepPrompt(base());
    expect(system.startsWith(ROLE_CATALOG["senior-developer"].systemPrompt)).toBe(true);
    expect(system).toContain('Your name in this crew is "Ada".');
    expect(system).toContain("## Answer format");
    expect(system).toContain("`pullRequest` (object or null, optional)");
  });

  it("uses the agent's own prompt instead of the default, and adds its rules before the contract", () => {
    const { system } = buildStepPrompt(
      base({ agent: { name: "Ada", systemPrompt: "You write Go only." }, rules: "Always run `make lint`." }),
    );
    expect(system.startsWith("You write Go only.")).toBe(true);
    expect(system).not.toContain(ROLE_CATALOG["senior-developer"].systemPrompt);
    const rules = system.indexOf("<rules>\nAlways run `make lint`.\n</rules>");
    expect(rules).toBeGreaterThan(0);
    expect(rules).toBeLessThan(system.indexOf("## Answer format"));
  });

  it("leaves the rules section out when there are no rules", () => {
    expect(buildStepPrompt(base({ rules: "   " })).system).not.toContain("## Project rules");
  });

  it("sends one user message with the task, the instructions and the earlier outputs in order", () => {
    const { messages } = buildStepPrompt(base({ role: "qa-engineer" }));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.role).toBe("user");
    const text = textOf(messages[0]!.content);
    const order = [
      "# Task: Export invoices as CSV",
      "Project: Billing (The invoicing service)",
      "Type: feature · Priority: high · Complexity: moderate",
      "## Definition of done\nMerged with tests",
      "## Instructions for this run\nUse the existing csv helper.",
      '<step number="1" role="product-manager" agent="Pam">',
      '<step number="2" role="architect" agent="Archie">',
      "You are step 3, the qa-engineer.",
    ].map((s) => text.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("renders earlier structured outputs compactly instead of repeating the whole answer", () => {
    const text = textOf(buildStepPrompt(base({ role: "qa-engineer" })).messages[0]!.content);
    expect(text).toContain("- [ ] GET /invoices.csv returns text/csv with one row per invoice");
    expect(text).toContain("create `src/invoices/export.ts`: The CSV stream");
    // QA reads the plan's summary, not the architect's prose.
    expect(text).not.toContain("Reuse `toCsvRow`");
    const earlier = text.slice(text.indexOf("## Earlier steps"), text.indexOf("## Your step"));
    expect(earlier).toContain('<step number="2"');
    expect(earlier).not.toContain(`${fence}json`);
  });

  it("gives developers the architect's plan in full", () => {
    for (const role of ["senior-developer", "junior-developer"] as const) {
      const text = textOf(buildStepPrompt(base({ role })).messages[0]!.content);
      expect(text).toContain('<step number="2" role="architect" agent="Archie" detail="full plan">');
      expect(text).toContain("Reuse `toCsvRow` from src/lib/csv.ts; keep the header order stable.");
      expect(text).toContain("exportInvoices(userId: string): AsyncIterable<string>");
    }
  });

  it("prefers the engine's stored data and falls back to the prose when the answer broke its contract", () => {
    const stored = {
      problem: "Stored problem",
      goal: "Stored goal",
      acceptanceCriteria: ["Stored criterion"],
    };
    const long = `No block here. ${"x".repeat(MAX_EARLIER_OUTPUT_CHARS * 2)} THE END`;
    const text = textOf(
      buildStepPrompt(
        base({
          role: "reviewer",
          earlierSteps: [
            { role: "product-manager", agentName: "Pam", output: PM_ANSWER, data: stored },
            { role: "senior-developer", agentName: "Ada", output: long },
          ],
        }),
      ).messages[0]!.content,
    );
    expect(text).toContain("- [ ] Stored criterion");
    expect(text).toContain("No block here.");
    expect(text).toContain("THE END");
    expect(text).toMatch(/\[… \d+ characters omitted …\]/);
    expect(text.length).toBeLessThan(long.length);
  });

  it("sends images as image blocks and text files inline, truncated", () => {
    const { messages } = buildStepPrompt(
      base({
        attachments: [
          { filename: "mock.png", mimeType: "image/png", imageBase64: "iVBORw0KGgo=" },
          {
            filename: "spec.md",
            mimeType: "text/markdown",
            text: `# Spec\n${"y".repeat(MAX_ATTACHMENT_TEXT_CHARS)}`,
          },
          { filename: "scan.tiff", mimeType: "image/tiff", imageBase64: "AAAA" },
          { filename: "data.bin", mimeType: "application/octet-stream" },
        ],
      }),
    );
    const content = messages[0]!.content as ModelContentBlock[];
    const images = content.filter((b) => b.type === "image");
    expect(images).toEqual([{ type: "image", mediaType: "image/png", data: "iVBORw0KGgo=" }]);
    const imageIndex = content.findIndex((b) => b.type === "image");
    const before = content[imageIndex - 1];
    expect(before?.type === "text" && before.text.endsWith("Attached image: mock.png (image/png)")).toBe(
      true,
    );
    const text = textOf(content);
    expect(text).toContain('<file name="spec.md">\n# Spec\n');
    expect(text).toContain(`[attachment truncated: showed the first ${MAX_ATTACHMENT_TEXT_CHARS} of`);
    expect(text).toContain("scan.tiff (image/tiff) (its content cannot be shown to you)");
    expect(text).toContain("data.bin (application/octet-stream) (its content cannot be shown to you)");
  });

  it("adds the people's messages after the earlier steps, oldest first", () => {
    const text = textOf(
      buildStepPrompt(
        base({
          userMessages: [
            { author: "Grace", content: "Skip the header row." },
            { author: 'Bob "B"', content: "Actually keep it." },
            { author: "Eve", content: "  " },
          ],
        }),
      ).messages[0]!.content,
    );
    const grace = text.indexOf('<message author="Grace">\nSkip the header row.\n</message>');
    const bob = text.indexOf("<message author=\"Bob 'B'\">\nActually keep it.\n</message>");
    expect(grace).toBeGreaterThan(text.indexOf('<step number="2"'));
    expect(bob).toBeGreaterThan(grace);
    expect(text).not.toContain('author="Eve"');
  });

  it("is deterministic and leaves empty sections out", () => {
    const input = base({ instructions: null, earlierSteps: [], project: null });
    expect(buildStepPrompt(input)).toEqual(buildStepPrompt(structuredClone(input)));
    const text = textOf(buildStepPrompt(input).messages[0]!.content);
    expect(text).not.toContain("## Instructions");
    expect(text).not.toContain("## Earlier steps");
    expect(text).not.toContain("Project:");
    expect(text).toContain("You are step 1, the senior-developer.");
  });
});
