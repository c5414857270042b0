// A project's architect turning a GitHub issue into tasks: the request it is sent (the issue and the answer
// format), the contract its answer is read against, and the hook that runs the streamed, metered chat reply
// and hands the parsed tasks to whoever files them (the API, which owns tasks).
import { schema } from "@crewdeck/db";
import { TASK_COMPLEXITIES, TASK_PRIORITIES, TASK_TYPES } from "@crewdeck/domain";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { type ReplyPlan, startReplies } from "../chat/reply";
import { publishMessage } from "../conversations/message-events";
import type { Engine } from "../engine";
import { stageEvent, transactionWithEvents } from "../events/outbox";
import { conversationScope } from "../events/scopes";
import { describeZodIssues } from "../lib/describe-zod-issues";
import { parseJsonAnswer } from "../roles/output-contracts";

const text = (description: string) => z.string().trim().min(1).describe(description);

export const IssueTaskSchema = z.object({
  title: text("Short imperative title of the task.").max(200),
  description: text("What to do and why, enough for a developer who has not read the issue."),
  definitionOfDone: z
    .array(text("One condition a reviewer or a test can check."))
    .min(1)
    .describe("When this task is done."),
  type: z.enum(TASK_TYPES).default("feature").describe("The kind of work."),
  priority: z.enum(TASK_PRIORITIES).default("medium").describe("How urgent it is."),
  complexity: z.enum(TASK_COMPLEXITIES).default("moderate").describe("How hard it is."),
});

/** The ```json block that ends the architect's answer to an issue. */
export const IssueTasksOutputSchema = z.object({
  summary: text("The issue in your own words, and how the tasks split it."),
  tasks: z.array(IssueTaskSchema).min(1).max(20).describe("The tasks, in the order they should be done."),
});

export type IssueTask = z.output<typeof IssueTaskSchema>;
export type IssueTasksOutput = z.output<typeof IssueTasksOutputSchema>;

export type IssueForPlanning = {
  number: number;
  title: string;
  body: string | null;
  labels: string[];
  htmlUrl: string;
  repositoryFullName: string;
};

const EXAMPLE = {
  summary: "…",
  tasks: [
    {
      title: "…",
      description: "…",
      definitionOfDone: ["…", "…"],
      type: "feature",
      priority: "medium",
      complexity: "moderate",
    },
  ],
};

/** The opening message of the issue's conversation: the issue itself, and what the answer must hold. */
export function issueTasksRequest(issue: IssueForPlanning): string {
  return [
    `Please read GitHub issue #${issue.number} of ${issue.repositoryFullName} and split it into tasks for the crew.`,
    "",
    `## #${issue.number} ${issue.title}`,
    issue.labels.length > 0 ? `Labels: ${issue.labels.join(", ")}` : "",
    issue.htmlUrl,
    "",
    issue.body?.trim() || "(The issue has no description.)",
    "",
    "## Answer format",
    "Explain the split briefly in Markdown, then end your answer with exactly one fenced ```json block and nothing after it.",
    "Software files one task per entry, so the block must be valid JSON with these fields:",
    "- `summary` (text, required): the issue in your own words, and how the tasks split it.",
    "- `tasks` (list, at least 1, at most 20), each with:",
    "  - `title` (text, required): short and imperative.",
    "  - `description` (text, required): what to do and why.",
    "  - `definitionOfDone` (list of text, at least 1): conditions a reviewer or a test can check.",
    `  - \`type\` (one of ${TASK_TYPES.map((t) => `"${t}"`).join(", ")}; default "feature").`,
    `  - \`priority\` (one of ${TASK_PRIORITIES.map((t) => `"${t}"`).join(", ")}; default "medium").`,
    `  - \`complexity\` (one of ${TASK_COMPLEXITIES.map((t) => `"${t}"`).join(", ")}; default "moderate").`,
    "",
    "```json",
    JSON.stringify(EXAMPLE, null, 2),
    "```",
  ]
    .filter((line, i, all) => line !== "" || all[i - 1] !== "")
    .join("\n");
}

export type ParsedIssueTasks =
  | { ok: true; data: IssueTasksOutput; markdown: string }
  | { ok: false; problems: string[]; markdown: string };

/** Reads the tasks from the architect's answer; the problems say in words what was wrong with it. */
export function parseIssueTasks(answer: string): ParsedIssueTasks {
  return parseJsonAnswer(answer, (value) => {
    const parsed = IssueTasksOutputSchema.safeParse(value);
    return parsed.success
      ? { ok: true, data: parsed.data }
      : { ok: false, problems: describeZodIssues(parsed.error) };
  });
}

export type IssueTasksReply = { messageId: string; agentId: string; output: IssueTasksOutput };

/**
 * Streams the planned reply (metered and budgeted like any chat reply), then reads the tasks from it and
 * hands them to `fileTasks`. An answer without readable tasks is said in the conversation as a system
 * message, so people see why no task appeared. Tracked in `engine.replies`; never throws.
 */
export function startIssueTaskPlanning(
  engine: Engine,
  plan: ReplyPlan,
  openingMessageId: string,
  fileTasks: (reply: IssueTasksReply) => Promise<void>,
): Promise<void> {
  const { conversation } = plan;
  const scope = conversationScope(conversation);
  const work = (async () => {
    // Streamed here, not queued: the tasks are filed from the reply once it is whole.
    await startReplies(engine, plan, openingMessageId, { inProcess: true });
    const m = schema.messages;
    const reply = await engine.db.query.messages.findFirst({
      where: and(
        eq(m.conversationId, conversation.id),
        eq(m.replyToId, openingMessageId),
        eq(m.authorType, "agent"),
      ),
      orderBy: [desc(m.createdAt), desc(m.id)],
    });
    // A failed or stopped reply was already announced (an `error` event, the message's own status).
    if (reply?.status !== "complete" || !reply.agentId) return;
    const parsed = parseIssueTasks(reply.content);
    if (!parsed.ok) {
      await transactionWithEvents(engine, async (tx, events) => {
        const [notice] = await tx
          .insert(m)
          .values({
            conversationId: conversation.id,
            authorType: "system",
            content: `No tasks were filed: the answer could not be read as tasks.\n- ${parsed.problems.join("\n- ")}`,
            replyToId: reply.id,
          })
          .returning({ id: m.id });
        if (notice) await publishMessage({ db: tx, bus: events }, scope, notice.id);
      });
      return;
    }
    await fileTasks({ messageId: reply.id, agentId: reply.agentId, output: parsed.data });
  })().catch(async (error: unknown) => {
    engine.logger.error(`Filing tasks from conversation ${conversation.id} failed`, error);
    // Through the outbox, after the reply's own events, and without waiting for a bus that is down.
    await stageEvent(engine, {
      type: "error",
      scope,
      payload: {
        code: "INTERNAL_ERROR",
        message: "The architect answered, but its tasks could not be filed.",
        details: { conversationId: conversation.id },
      },
    }).catch(() => {});
  });
  engine.replies.track(work);
  return work;
}
