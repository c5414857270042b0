// The structured part of each role's answer. A model answers in Markdown for people and ends with one
// fenced ```json block; later steps and the run engine read that block, so its shape is checked here.
import { schema } from "@crewdeck/db";
import { z } from "zod";
import { describeZodIssues } from "../lib/describe-zod-issues";
import type { AgentRole } from "./catalog";

const text = (description: string) => z.string().trim().min(1).describe(description);
const list = (item: string, description: string) => z.array(text(item)).describe(description);
/** Lists a role may honestly leave empty; a missing one is read as empty rather than failing the step. */
const optionalList = (item: string, description: string) => list(item, description).default([]);

export const DEFECT_SEVERITIES = ["blocker", "major", "minor"] as const;
export const FINDING_SEVERITIES = ["blocker", "major", "minor", "nit"] as const;
/** The orchestrator hands work to any role but itself, or ends the run. */
export const ORCHESTRATOR_NEXT = [
  ...schema.AGENT_ROLES.filter((r): r is Exclude<AgentRole, "orchestrator"> => r !== "orchestrator"),
  "done",
] as const;

export const ProductManagerOutputSchema = z.object({
  problem: text("The user's problem, in their terms, in one or two sentences."),
  goal: text("What is true for the user once the task is done."),
  acceptanceCriteria: list("One criterion a user or a test can check.", "Testable acceptance criteria.").min(
    1,
  ),
  outOfScope: optionalList("One thing this task does not do.", "What the task deliberately leaves out."),
});

export const ProjectManagerOutputSchema = z.object({
  plan: z
    .array(
      z.object({
        step: text("What to do, small enough to verify on its own."),
        owner: z.enum(schema.AGENT_ROLES).describe("The role that does this step."),
        verification: text("How anyone can tell the step is done."),
      }),
    )
    .min(1)
    .describe("Ordered steps."),
  risks: optionalList("One risk and how to contain it.", "What could go wrong."),
  definitionOfDone: list("One condition for the whole task.", "When the task as a whole is done.").min(1),
});

export const ArchitectOutputSchema = z.object({
  design: text("The chosen design and why, including the trade-off you made."),
  files: z
    .array(
      z.object({
        path: text("Repository-relative file path."),
        change: z.enum(["create", "modify", "delete"]).describe("What happens to the file."),
        why: text("What changes in it and why."),
      }),
    )
    .describe("Every file the developers should touch, in the order they should touch them."),
  interfaces: optionalList(
    "A signature, type, endpoint or data shape.",
    "New or changed interfaces, spelled out exactly.",
  ),
  openQuestions: optionalList("A question for the people.", "Decisions you could not make alone."),
});

export const DeveloperOutputSchema = z.object({
  summary: text("What you changed and why, in a few sentences."),
  changes: z
    .array(
      z.object({
        path: text("Repository-relative file path."),
        description: text("What changed in this file."),
      }),
    )
    .describe("Files you changed."),
  tests: optionalList("A test you added or ran, and its result.", "Tests added or run."),
  pullRequest: z
    .object({ title: text("Pull request title."), body: text("Pull request description.") })
    .nullable()
    .optional()
    .describe("The pull request you opened or propose; null when there is none."),
  unsure: optionalList("Something you were unsure of.", "Doubts the next steps should check."),
});

export const QaEngineerOutputSchema = z
  .object({
    verdict: z.enum(["pass", "fail"]).describe("pass only when every acceptance criterion holds."),
    checked: list("One thing you checked and how.", "What you verified.").min(1),
    defects: z
      .array(
        z.object({
          title: text("Short defect title."),
          steps: list("One step.", "Steps to reproduce.").min(1),
          severity: z.enum(DEFECT_SEVERITIES).describe("How bad it is."),
        }),
      )
      .default([])
      .describe("Defects found; empty when there are none."),
  })
  .refine((o) => o.verdict === "pass" || o.defects.length > 0, {
    message: 'A "fail" verdict needs at least one defect',
    path: ["defects"],
  });

export const ReviewerOutputSchema = z
  .object({
    verdict: z.enum(["approve", "request_changes"]).describe("The review decision."),
    findings: z
      .array(
        z.object({
          severity: z.enum(FINDING_SEVERITIES).describe("blocker and major findings block approval."),
          file: z.string().trim().min(1).optional().describe("The file, when the finding is about one."),
          comment: text("What is wrong and what to do instead."),
        }),
      )
      .default([])
      .describe("Review findings, most severe first."),
  })
  .refine((o) => o.verdict === "approve" || o.findings.length > 0, {
    message: 'A "request_changes" verdict needs at least one finding',
    path: ["findings"],
  });

export const OrchestratorOutputSchema = z.object({
  nextRole: z.enum(ORCHESTRATOR_NEXT).describe('The role that should act next, or "done".'),
  instruction: text("What that role should do next (or, when done, what the people should look at)."),
  progressSummary: text("Where the task stands, for the people watching."),
});

export const ROLE_OUTPUT_SCHEMAS = {
  "product-manager": ProductManagerOutputSchema,
  "project-manager": ProjectManagerOutputSchema,
  architect: ArchitectOutputSchema,
  "senior-developer": DeveloperOutputSchema,
  "junior-developer": DeveloperOutputSchema,
  "qa-engineer": QaEngineerOutputSchema,
  reviewer: ReviewerOutputSchema,
  orchestrator: OrchestratorOutputSchema,
} as const satisfies Record<AgentRole, z.ZodType>;

export type RoleOutputs = { [R in AgentRole]: z.output<(typeof ROLE_OUTPUT_SCHEMAS)[R]> };
export type RoleOutput = RoleOutputs[AgentRole];

export type ParsedRoleOutput<T> =
  | { ok: true; data: T; markdown: string }
  /** `markdown` is the answer without its JSON block, so a failed parse still has something to show. */
  | { ok: false; problems: string[]; markdown: string };

const OPENING_FENCE = /^\s*`{3,}\s*json\s*$/i;
const CLOSING_FENCE = /^\s*`{3,}\s*$/;

/**
 * Splits an answer into its Markdown and its last ```json block. JSON strings cannot hold raw newlines,
 * so a line that is only a fence can never sit inside the JSON: the first one after the opening closes it.
 */
export function splitJsonBlock(answer: string): { markdown: string; json: string | null } {
  const lines = answer.split(/\r?\n/);
  let open = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (OPENING_FENCE.test(lines[i] ?? "")) {
      open = i;
      break;
    }
  }
  if (open < 0) return { markdown: answer.trim(), json: null };
  let close = -1;
  for (let i = open + 1; i < lines.length; i++) {
    if (CLOSING_FENCE.test(lines[i] ?? "")) {
      close = i;
      break;
    }
  }
  const body = lines.slice(open + 1, close < 0 ? undefined : close).join("\n");
  // A model that forgets the newline writes `}```` on the last line.
  const json = body.replace(/`{3,}\s*$/, "").trim();
  const markdown = [...lines.slice(0, open), ...(close < 0 ? [] : lines.slice(close + 1))].join("\n").trim();
  return { markdown, json };
}

/**
 * Reads the closing ```json block of an answer and checks it with `check`: whatever is wrong (no block, bad
 * JSON, data that breaks the contract) comes back as problems in words the model can act on.
 */
export function parseJsonAnswer<T>(
  answer: string,
  check: (value: unknown) => { ok: true; data: T } | { ok: false; problems: string[] },
): ParsedRoleOutput<T> {
  const { markdown, json } = splitJsonBlock(answer);
  if (json === null) {
    return { ok: false, markdown, problems: ["The answer does not end with a fenced ```json block."] };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, markdown, problems: [`The \`\`\`json block is not valid JSON: ${reason}`] };
  }
  const result = check(value);
  return result.ok
    ? { ok: true, data: result.data, markdown }
    : { ok: false, markdown, problems: result.problems };
}

/** Reads the structured part of a role's answer and checks it against the role's contract. */
export function parseRoleOutput<R extends AgentRole>(
  role: R,
  answer: string,
): ParsedRoleOutput<RoleOutputs[R]> {
  return parseJsonAnswer(answer, (value) => validateRoleOutput(role, value));
}

/** Checks already-parsed data (for example a step's stored data) against the role's contract. */
export function validateRoleOutput<R extends AgentRole>(
  role: R,
  value: unknown,
): { ok: true; data: RoleOutputs[R] } | { ok: false; problems: string[] } {
  const outputSchema: z.ZodType = ROLE_OUTPUT_SCHEMAS[role];
  const parsed = outputSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problems: describeZodIssues(parsed.error) };
  return { ok: true, data: parsed.data as RoleOutputs[R] };
}
