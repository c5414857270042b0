// A person's verdict on a pull request: approving merges it through GitHub (and completes its task, whose
// workspace goes), and rejecting comments on it, records the feedback in the task's conversation and starts
// the revision run that addresses it on the same branch.
import { type Executor, schema } from "@crewdeck/db";
import { canMoveTask, type TaskStatus } from "@crewdeck/domain";
import {
  conversationScope,
  notifyProjectMembers,
  publishMessage,
  publishNotification,
  taskScope,
  transactionWithEvents,
} from "@crewdeck/engine";
import {
  commentOnPullRequest,
  REVIEW_FEEDBACK_KIND as GITHUB_REVIEW_KIND,
  mergePullRequest,
} from "@crewdeck/github";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { releaseWorkspaceAfterPullRequest } from "../tasks/workspace";
import { getPullRequestDto, type PullRequestRow } from "./list";
import { agentBusy, hasActiveRun, revisionBlocker, startRevision } from "./revision";

type TaskRow = typeof schema.tasks.$inferSelect;

/** The metadata `kind` of the message that carries a review's feedback in the task's conversation. */
export const REVIEW_FEEDBACK_KIND = "review_feedback";

/**
 * Moves the task as a person would, when the domain's person table allows it (and nobody moved it
 * meanwhile); announces the move. Returns the task as it now stands.
 */
async function moveTask(deps: ApiDeps, task: TaskRow, to: TaskStatus, message: string): Promise<TaskRow> {
  if (task.status === to || !canMoveTask("person", task.status, to)) return task;
  // The move and its announcement commit together, so the task never shows a column it is not in.
  const moved = await transactionWithEvents(deps.engine, async (tx, events) => {
    const [row] = await tx
      .update(schema.tasks)
      .set({ status: to, completedAt: to === "completed" ? new Date() : null })
      .where(and(eq(schema.tasks.id, task.id), eq(schema.tasks.status, task.status)))
      .returning();
    if (!row) return null;
    const done = to === "completed";
    await events.publish({
      type: "task_progress",
      scope: taskScope(row),
      payload: {
        taskId: row.id,
        status: row.status,
        progress: { completed: done ? 1 : 0, total: 1, percentage: done ? 100 : 0 },
        message,
      },
    });
    return row;
  });
  if (!moved) return (await deps.db.query.tasks.findFirst({ where: eq(schema.tasks.id, task.id) })) ?? task;
  return moved;
}

const taskRef = (task: TaskRow | null) =>
  task ? { id: task.id, title: task.title, status: task.status } : null;

async function linkedTask(db: Executor, pullRequest: PullRequestRow): Promise<TaskRow | null> {
  if (!pullRequest.taskId) return null;
  return (await db.query.tasks.findFirst({ where: eq(schema.tasks.id, pullRequest.taskId) })) ?? null;
}

/**
 * Merges when GitHub says it can and the checks passed (else 409 with the reason in words, from the GitHub
 * service); the pull request is then `merged`, and its task `completed` where the person's moves allow it
 * (from review).
 */
/** Tells a project's maintainers and owners what a person decided on a pull request (not that person). */
async function noticeReview(
  deps: ApiDeps,
  pullRequest: PullRequestRow,
  userId: string,
  notice: { type: "pull_request_approved" | "pull_request_rejected"; title: string; message: string },
) {
  // Each notification is announced with its row, in one transaction.
  await transactionWithEvents(deps.engine, (tx, events) =>
    notifyProjectMembers(
      tx,
      pullRequest.projectId,
      {
        ...notice,
        data: {
          projectId: pullRequest.projectId,
          pullRequestId: pullRequest.id,
          taskId: pullRequest.taskId ?? undefined,
        },
      },
      { minRole: "maintainer", except: userId, onCreated: publishNotification(events) },
    ),
  ).catch((error: unknown) => deps.engine.logger.error("Notifying about a review failed", error));
}

export async function approvePullRequest(deps: ApiDeps, pullRequest: PullRequestRow, userId: string) {
  const merged = await mergePullRequest(deps.github, { pullRequestId: pullRequest.id, userId });
  let task = await linkedTask(deps.db, merged);
  if (task) {
    task = await moveTask(deps, task, "completed", `Pull request #${merged.number} was merged`);
    await releaseWorkspaceAfterPullRequest(deps, task.id);
  }
  await noticeReview(deps, merged, userId, {
    type: "pull_request_approved",
    title: `Pull request #${merged.number} approved`,
    message: `“${merged.title}” was approved and merged.`,
  });
  return {
    pullRequest: await getPullRequestDto(deps.db, merged.id),
    task: taskRef(task),
    taskCompleted: task?.status === "completed",
  };
}

export type ReviewFeedback = {
  pullRequest: PullRequestRow;
  /** The person who rejected it. */
  userId: string;
  feedback: string;
  /** The comment that carried the feedback on GitHub, when there is one. */
  commentUrl?: string | null;
};

/**
 * Records a rejection for the authoring agent: a message from the person in the task's conversation
 * (metadata `kind: review_feedback`, with the pull request and the authoring agent), and the task back to
 * in_progress where the person's moves allow it (from review or testing). The revision run reads it with
 * `latestReviewFeedback`. Without a linked task there is nowhere to record it: nothing is written.
 */
export async function recordReviewFeedback(deps: ApiDeps, input: ReviewFeedback) {
  const { pullRequest, userId, feedback } = input;
  let task = await linkedTask(deps.db, pullRequest);
  if (!task?.conversationId) return { task: taskRef(task), messageId: null };
  const conversationId = task.conversationId;
  // The message, the conversation's last activity and the message's event commit together: a bus that is
  // down (Redis restarting) neither holds the rejection nor loses the event.
  const message = await transactionWithEvents(deps.engine, async (tx, events) => {
    const [row] = await tx
      .insert(schema.messages)
      .values({
        conversationId,
        authorType: "user",
        userId,
        content: `Changes requested on pull request #${pullRequest.number} (${pullRequest.htmlUrl}):\n\n${feedback}`,
        metadata: {
          kind: REVIEW_FEEDBACK_KIND,
          pullRequestId: pullRequest.id,
          authoringAgentId: pullRequest.authoringAgentId,
          runId: pullRequest.runId,
          commentUrl: input.commentUrl ?? null,
        },
      })
      .returning({ id: schema.messages.id, createdAt: schema.messages.createdAt });
    if (!row) throw new Error("message insert returned nothing");
    const c = schema.conversations;
    const [conversation] = await tx
      .update(c)
      .set({ lastMessageAt: sql`max(${c.lastMessageAt}, ${row.createdAt.getTime()})` })
      .where(eq(c.id, conversationId))
      .returning();
    if (conversation) await publishMessage({ db: tx, bus: events }, conversationScope(conversation), row.id);
    return row;
  });
  task = await moveTask(
    deps,
    task,
    "in_progress",
    `Changes requested on pull request #${pullRequest.number}`,
  );
  return { task: taskRef(task), messageId: message.id };
}

/**
 * The newest review feedback recorded for a task, a person's rejection here or a GitHub review that requested
 * changes, for the run that revises its branch.
 */
export async function latestReviewFeedback(db: Executor, task: Pick<TaskRow, "conversationId">) {
  if (!task.conversationId) return null;
  const m = schema.messages;
  const row = await db.query.messages.findFirst({
    where: and(
      eq(m.conversationId, task.conversationId),
      inArray(sql<string>`json_extract(${m.metadata}, '$.kind')`, [REVIEW_FEEDBACK_KIND, GITHUB_REVIEW_KIND]),
    ),
    orderBy: [desc(m.createdAt), desc(m.id)],
  });
  return row ? { messageId: row.id, content: row.content, metadata: row.metadata, at: row.createdAt } : null;
}

/**
 * Comments the feedback on the pull request, records it for the authoring agent, and starts the revision run.
 * A task whose agents are busy refuses first (409 AGENT_BUSY), before anything is posted, so a retry later
 * posts it once. Refusals that only the start itself finds (a start that raced in, no developer, budget) come
 * after the comment: the response says why no run started, and the feedback waits for the next run.
 */
export async function rejectPullRequest(
  deps: ApiDeps,
  pullRequest: PullRequestRow,
  userId: string,
  feedback: string,
) {
  const linked = await linkedTask(deps.db, pullRequest);
  const blocked = revisionBlocker(pullRequest, linked);
  if (!blocked && linked && (await hasActiveRun(deps.db, linked.id))) throw agentBusy(linked.id);
  const comment = await commentOnPullRequest(deps.github, {
    pullRequestId: pullRequest.id,
    userId,
    body: `Changes requested through Crewdeck:\n\n${feedback}`,
  });
  const recorded = await recordReviewFeedback(deps, {
    pullRequest,
    userId,
    feedback,
    commentUrl: comment.htmlUrl,
  });
  const revision =
    blocked || !linked
      ? { revisionRun: null, revisionNotStarted: blocked }
      : await startRevision(deps, { taskId: linked.id, feedback, userId });
  await noticeReview(deps, pullRequest, userId, {
    type: "pull_request_rejected",
    title: `Changes requested on pull request #${pullRequest.number}`,
    message: feedback.length > 300 ? `${feedback.slice(0, 300)}…` : feedback,
  });
  if (revision.revisionNotStarted) {
    deps.engine.logger.info(
      `Pull request ${pullRequest.id} rejected without a revision run: ${revision.revisionNotStarted.message}`,
    );
  }
  return {
    pullRequest: await getPullRequestDto(deps.db, pullRequest.id),
    comment,
    // As the revision run left it (in_progress), not as the rejection did.
    task: linked ? taskRef(await linkedTask(deps.db, pullRequest)) : recorded.task,
    feedbackMessageId: recorded.messageId,
    ...revision,
  };
}
