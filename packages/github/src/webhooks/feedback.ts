// A reviewer's "changes requested" on a task's pull request becomes a message in the task's conversation,
// so the people watching see it and the authoring agent's next revision can read it from there.
import { type Database, schema } from "@crewdeck/db";
import { and, eq, sql } from "drizzle-orm";
import type { PostedMessage, ReviewPayload } from "./types";

type PullRequestRow = typeof schema.pullRequests.$inferSelect;

/** What the review feedback message carries in its metadata; agents' revision logic looks for this kind. */
export const REVIEW_FEEDBACK_KIND = "pull_request_review_feedback";

export type ReviewFeedbackMetadata = {
  kind: typeof REVIEW_FEEDBACK_KIND;
  pullRequestId: string;
  pullRequestNumber: number;
  githubReviewId: number;
  reviewer: string | null;
  reviewUrl: string | null;
};

/**
 * Posts the review body as a system message in the conversation of the pull request's task; null when the
 * pull request has no task, the task no conversation, or the review no body. Posting the same review again
 * (a delivery reprocessed after a crash) returns the message already stored, so it appears once.
 */
export async function onPullRequestReviewFeedback(
  db: Database,
  input: { pullRequest: PullRequestRow; review: ReviewPayload },
): Promise<PostedMessage | null> {
  const { pullRequest, review } = input;
  const body = review.body?.trim();
  if (!body || !pullRequest.taskId) return null;
  const task = await db.query.tasks.findFirst({ where: eq(schema.tasks.id, pullRequest.taskId) });
  if (!task?.conversationId) return null;
  const conversationId = task.conversationId;
  const m = schema.messages;
  const posted = (messageId: string): PostedMessage => ({
    messageId,
    conversationId,
    projectId: pullRequest.projectId,
    taskId: task.id,
    createdById: task.createdById ?? null,
  });
  const existing = await db
    .select({ id: m.id })
    .from(m)
    .where(
      and(
        eq(m.conversationId, conversationId),
        sql`json_extract(${m.metadata}, '$.kind') = ${REVIEW_FEEDBACK_KIND}`,
        sql`json_extract(${m.metadata}, '$.githubReviewId') = ${review.id}`,
      ),
    )
    .limit(1);
  if (existing[0]) return posted(existing[0].id);
  const reviewer = review.user?.login ?? null;
  const metadata: ReviewFeedbackMetadata = {
    kind: REVIEW_FEEDBACK_KIND,
    pullRequestId: pullRequest.id,
    pullRequestNumber: pullRequest.number,
    githubReviewId: review.id,
    reviewer,
    reviewUrl: review.html_url ?? null,
  };
  const messageId = await db.transaction(async (tx) => {
    const [message] = await tx
      .insert(m)
      .values({
        conversationId,
        authorType: "system",
        content: `Changes requested on pull request #${pullRequest.number}${reviewer ? ` by @${reviewer}` : ""}:\n\n${body}`,
        metadata,
      })
      .returning({ id: m.id, createdAt: m.createdAt });
    if (!message) throw new Error("message insert returned nothing");
    const c = schema.conversations;
    await tx
      .update(c)
      .set({ lastMessageAt: sql`max(${c.lastMessageAt}, ${message.createdAt.getTime()})` })
      .where(eq(c.id, conversationId));
    return message.id;
  });
  return posted(messageId);
}
