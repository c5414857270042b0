// The review loop after a rejection, through Crewdeck or a GitHub review: a revision run on the same branch.
import { type Executor, schema } from "@crewdeck/db";
import { ACTIVE_RUN_STATUSES, type RunStatus } from "@crewdeck/domain";
import { startRevisionRun } from "@crewdeck/engine";
import type { ChangesRequested, WebhookEffects } from "@crewdeck/github";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { ApiError, asApiError } from "../../errors";
import { releaseWorkspaceAfterPullRequest } from "../tasks/workspace";
import type { PullRequestRow } from "./list";

type TaskRow = typeof schema.tasks.$inferSelect;

/** Why no revision run started, in the contract's error vocabulary where one fits. */
export type RevisionNotStarted = { code: string; message: string };

export type RevisionOutcome = {
  revisionRun: { id: string; status: RunStatus } | null;
  revisionNotStarted: RevisionNotStarted | null;
};

/** Reasons that hold whatever the runs do: no revision is attempted, and nothing is refused for them. */
export function revisionBlocker(
  pullRequest: PullRequestRow,
  task: TaskRow | null,
): RevisionNotStarted | null {
  if (!task) {
    return {
      code: "NOT_AGENT_PULL_REQUEST",
      message: "The pull request is not linked to a task (the project's agents did not open it)",
    };
  }
  if (pullRequest.state !== "open") {
    return { code: "PULL_REQUEST_NOT_OPEN", message: `The pull request is ${pullRequest.state}` };
  }
  return null;
}

export async function hasActiveRun(db: Executor, taskId: string): Promise<boolean> {
  const active = await db.query.runs.findFirst({
    columns: { id: true },
    where: and(eq(schema.runs.taskId, taskId), inArray(schema.runs.status, ACTIVE_RUN_STATUSES)),
  });
  return active !== undefined;
}

export const agentBusy = (taskId: string) =>
  new ApiError(
    "AGENT_BUSY",
    "The task's agents are still working (a run is active); cancel it or wait for it to finish",
    { taskId },
  );

/**
 * Starts the revision run; a refusal (busy after all, no developer, budget, paused agents) is reported, not
 * thrown, because the feedback is already recorded by then and the next run reads it.
 */
export async function startRevision(
  deps: Pick<ApiDeps, "engine">,
  input: { taskId: string; feedback: string; userId: string },
): Promise<RevisionOutcome> {
  try {
    const run = await startRevisionRun(deps.engine, input);
    return { revisionRun: { id: run.id, status: run.status }, revisionNotStarted: null };
  } catch (error) {
    const known = asApiError(error);
    if (!known) deps.engine.logger.error(`The revision run of task ${input.taskId} could not start`, error);
    return {
      revisionRun: null,
      revisionNotStarted: known
        ? { code: known.appCode, message: known.message }
        : { code: "INTERNAL_ERROR", message: "The revision run could not be started" },
    };
  }
}

/** Who a revision started by GitHub is billed to: whoever started the run that opened the pull request. */
async function revisionOwner(db: Executor, pullRequest: PullRequestRow, task: TaskRow) {
  if (pullRequest.runId) {
    const run = await db.query.runs.findFirst({
      columns: { startedById: true },
      where: eq(schema.runs.id, pullRequest.runId),
    });
    if (run?.startedById) return run.startedById;
  }
  return task.createdById;
}

/**
 * A GitHub review that requested changes on a task's pull request: the review was posted in the task's
 * conversation already; this starts a revision run with its body, once per review (the review's message is
 * claimed first, so a redelivery or a reprocessed delivery starts nothing). While a run is active the review
 * stays recorded only, and the next run reads it (`latestReviewFeedback`).
 */
export async function reviseFromGitHubReview(deps: ApiDeps, review: ChangesRequested): Promise<void> {
  const { db, engine } = deps;
  const m = schema.messages;
  const note = (outcome: Record<string, unknown>) =>
    db
      .update(m)
      .set({ metadata: sql`json_set(${m.metadata}, '$.revision', json(${JSON.stringify(outcome)}))` })
      .where(eq(m.id, review.messageId));
  const claimed = await db
    .update(m)
    .set({ metadata: sql`json_set(${m.metadata}, '$.revision', json('{"status":"starting"}'))` })
    .where(and(eq(m.id, review.messageId), sql`json_extract(${m.metadata}, '$.revision') is null`))
    .returning({ id: m.id });
  const label = `GitHub review ${review.githubReviewId} on task ${review.taskId}`;
  if (claimed.length === 0) {
    engine.logger.info(`${label}: already handled; no second revision run`);
    return;
  }
  const pullRequest = await db.query.pullRequests.findFirst({
    where: eq(schema.pullRequests.id, review.pullRequestId),
  });
  const task = await db.query.tasks.findFirst({ where: eq(schema.tasks.id, review.taskId) });
  if (!pullRequest || !task) return void (await note({ status: "skipped", reason: "gone" }));
  const blocked = revisionBlocker(pullRequest, task);
  if (blocked) {
    engine.logger.info(`${label}: recorded only (${blocked.message})`);
    return void (await note({ status: "recorded", reason: blocked.code }));
  }
  if (await hasActiveRun(db, task.id)) {
    engine.logger.info(`${label}: a run is active, so the feedback is recorded for the next run`);
    return void (await note({ status: "recorded", reason: "AGENT_BUSY" }));
  }
  const userId = await revisionOwner(db, pullRequest, task);
  if (!userId) {
    engine.logger.info(`${label}: recorded only (nobody to start the revision as)`);
    return void (await note({ status: "recorded", reason: "NO_USER" }));
  }
  const outcome = await startRevision(deps, { taskId: task.id, feedback: review.feedback, userId });
  if (outcome.revisionRun) {
    engine.logger.info(`${label}: revision run ${outcome.revisionRun.id} started`);
    await note({ status: "started", runId: outcome.revisionRun.id });
  } else {
    engine.logger.info(`${label}: recorded only (${outcome.revisionNotStarted?.message})`);
    await note({ status: "recorded", reason: outcome.revisionNotStarted?.code });
  }
}

/** What the server hands the webhook worker so GitHub's verdicts drive the same loop as Crewdeck's. */
export const reviewLoopEffects = (
  deps: ApiDeps,
): Required<Pick<WebhookEffects, "changesRequested" | "pullRequestFinished">> => ({
  changesRequested: (review) => reviseFromGitHubReview(deps, review),
  pullRequestFinished: (pull) => releaseWorkspaceAfterPullRequest(deps, pull.taskId),
});
