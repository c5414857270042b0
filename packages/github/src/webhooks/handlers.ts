// One handler per GitHub event: each updates the rows synced for the repositories linked to projects and says
// what changed. Handlers are idempotent (upserts keyed by repository and number, guarded by GitHub's
// `updated_at`), so a delivery processed again after a crash leaves the same rows behind.

import { schema } from "@crewdeck/db";
import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { GitHubDeps } from "../deps";
import { fetchChecks } from "../pull-requests";
import { asRepository, type ProjectRepository } from "../repository-client";
import { issueRowValues, pullRequestRowValues, toDate } from "../row-values";
import { resolveGitHubConfig } from "../settings";
import { onPullRequestReviewFeedback } from "./feedback";
import type {
  ChangesRequested,
  CheckPayload,
  GitHubUpdate,
  HandlerOutcome,
  IssuePayload,
  PostedMessage,
  PullPayload,
  PullRequestFinished,
  RepositoryPayload,
  ReviewPayload,
} from "./types";

type PullRequestRow = typeof schema.pullRequests.$inferSelect;
type ChecksStatus = schema.ChecksStatus;
// biome-ignore lint/suspicious/noExplicitAny: payloads are GitHub's JSON, read field by field below
type Payload = any;

export type WebhookHandler = (deps: GitHubDeps, payload: Payload, event: string) => Promise<HandlerOutcome>;

const ignored = (): HandlerOutcome => ({ status: "ignored", updates: [], messages: [] });
const processed = (updates: GitHubUpdate[] = [], messages: PostedMessage[] = []): HandlerOutcome => ({
  status: "processed",
  updates,
  messages,
});

/** The active project repositories a payload's repository is linked to (by GitHub id, else by name). */
export async function linkedRepositories(
  deps: GitHubDeps,
  repository: RepositoryPayload | undefined,
): Promise<ProjectRepository[]> {
  if (!repository) return [];
  const t = schema.projectRepositories;
  return deps.db
    .select()
    .from(t)
    .where(
      and(
        eq(t.isActive, true),
        or(
          eq(t.githubId, repository.id),
          and(isNull(t.githubId), sql`lower(${t.fullName}) = lower(${repository.full_name})`),
        ),
      ),
    );
}

/** True when the payload is older than what is stored: webhooks may arrive out of order. */
const isStale = (stored: Date | null, incoming: Date | null) =>
  !!stored && !!incoming && incoming.getTime() < stored.getTime();

// --- issues -----------------------------------------------------------------------------------------------

const handleIssues: WebhookHandler = async (deps, payload) => {
  const issue = payload.issue as IssuePayload;
  // GitHub sends pull requests' own events for those; an issue event about one is not ours to store.
  if (!issue || issue.pull_request) return ignored();
  const repositories = await linkedRepositories(deps, payload.repository);
  if (repositories.length === 0) return ignored();
  const t = schema.githubIssues;
  const action: string = payload.action ?? "issues";
  const updates: GitHubUpdate[] = [];
  for (const repository of repositories) {
    const where = and(eq(t.repositoryId, repository.id), eq(t.number, issue.number));
    if (action === "deleted" || action === "transferred") {
      const removed = await deps.db.delete(t).where(where).returning({ id: t.id });
      for (const row of removed) {
        updates.push({
          projectId: repository.projectId,
          kind: "issue",
          id: row.id,
          number: issue.number,
          action,
          removed: true,
        });
      }
      continue;
    }
    const values = issueRowValues(issue);
    const [row] = await deps.db
      .insert(t)
      .values({
        projectId: repository.projectId,
        repositoryId: repository.id,
        number: issue.number,
        ...values,
      })
      .onConflictDoUpdate({
        target: [t.repositoryId, t.number],
        set: values,
        setWhere: sql`${t.githubUpdatedAt} is null or excluded.github_updated_at is null or excluded.github_updated_at >= ${t.githubUpdatedAt}`,
      })
      .returning({ id: t.id });
    if (row) {
      updates.push({
        projectId: repository.projectId,
        kind: "issue",
        id: row.id,
        number: issue.number,
        action,
      });
    }
  }
  return processed(updates);
};

// --- pull requests ----------------------------------------------------------------------------------------

/**
 * Inserts or updates the pull request's row, keeping its task, run and agent links. A new head commit makes
 * the stored checks unknown (they were about the old one) until a check event or a sync says otherwise.
 */
async function upsertPull(
  deps: GitHubDeps,
  repository: ProjectRepository,
  pull: PullPayload,
): Promise<PullRequestRow | null> {
  const t = schema.pullRequests;
  const values = pullRequestRowValues(pull);
  const existing = await deps.db.query.pullRequests.findFirst({
    where: and(eq(t.repositoryId, repository.id), eq(t.number, pull.number)),
  });
  if (!existing) {
    const [row] = await deps.db
      .insert(t)
      .values({
        projectId: repository.projectId,
        repositoryId: repository.id,
        number: pull.number,
        ...values,
        ...("mergeable" in pull ? { mergeable: pull.mergeable ?? null } : {}),
      })
      .onConflictDoNothing()
      .returning();
    return row ?? null;
  }
  if (isStale(existing.githubUpdatedAt, values.githubUpdatedAt)) return null;
  const headMoved = existing.headSha !== null && existing.headSha !== values.headSha;
  const [row] = await deps.db
    .update(t)
    .set({
      ...values,
      ...("mergeable" in pull ? { mergeable: pull.mergeable ?? null } : {}),
      ...(headMoved ? { checksStatus: null } : {}),
    })
    .where(eq(t.id, existing.id))
    .returning();
  return row ?? null;
}

const handlePullRequest: WebhookHandler = async (deps, payload) => {
  const pull = payload.pull_request as PullPayload;
  if (!pull) return ignored();
  const repositories = await linkedRepositories(deps, payload.repository);
  if (repositories.length === 0) return ignored();
  const action: string = payload.action ?? "pull_request";
  const updates: GitHubUpdate[] = [];
  const finished: PullRequestFinished[] = [];
  for (const repository of repositories) {
    const row = await upsertPull(deps, repository, pull);
    if (row) {
      updates.push({
        projectId: row.projectId,
        kind: "pull_request",
        id: row.id,
        number: row.number,
        action,
      });
      if (row.taskId && row.state !== "open") {
        finished.push({ pullRequestId: row.id, taskId: row.taskId, state: row.state });
      }
    }
  }
  return { ...processed(updates), finished };
};

const handlePullRequestReview: WebhookHandler = async (deps, payload) => {
  const pull = payload.pull_request as PullPayload;
  const review = payload.review as ReviewPayload;
  if (!pull || !review) return ignored();
  const repositories = await linkedRepositories(deps, payload.repository);
  if (repositories.length === 0) return ignored();
  const action: string = payload.action ?? "pull_request_review";
  const updates: GitHubUpdate[] = [];
  const messages: PostedMessage[] = [];
  const reviews: ChangesRequested[] = [];
  for (const repository of repositories) {
    // The review's copy of the pull request is as current as any: it also records a pull request not seen yet.
    const row =
      (await upsertPull(deps, repository, pull)) ??
      (await deps.db.query.pullRequests.findFirst({
        where: and(
          eq(schema.pullRequests.repositoryId, repository.id),
          eq(schema.pullRequests.number, pull.number),
        ),
      }));
    if (!row) continue;
    updates.push({ projectId: row.projectId, kind: "pull_request", id: row.id, number: row.number, action });
    if (action === "submitted" && review.state?.toLowerCase() === "changes_requested") {
      const message = await onPullRequestReviewFeedback(deps.db, { pullRequest: row, review });
      if (message) {
        messages.push(message);
        reviews.push({
          pullRequestId: row.id,
          taskId: message.taskId,
          projectId: row.projectId,
          githubReviewId: review.id,
          messageId: message.messageId,
          feedback: review.body?.trim() ?? "",
          reviewer: review.user?.login ?? null,
        });
      }
    }
  }
  return { ...processed(updates, messages), reviews };
};

// --- checks -----------------------------------------------------------------------------------------------

const FAILED_CONCLUSIONS = new Set([
  "failure",
  "timed_out",
  "cancelled",
  "action_required",
  "startup_failure",
]);

/** The verdict of one check run or suite as the payload reports it. */
export function checkVerdict(check: Pick<CheckPayload, "status" | "conclusion">): ChecksStatus {
  if (check.status !== "completed") return "pending";
  if (check.conclusion && FAILED_CONCLUSIONS.has(check.conclusion)) return "failure";
  if (check.conclusion === "success") return "success";
  return "neutral";
}

/**
 * Folds one check's verdict into the stored one for the same head commit, when GitHub cannot be asked for
 * the whole picture: a failure stays until the head moves (or a sync or merge attempt reads the checks
 * afresh); a check that starts makes it pending; a success beats pending and neutral; neutral (skipped)
 * only fills an unknown.
 */
export function foldChecks(current: ChecksStatus | null, verdict: ChecksStatus): ChecksStatus {
  if (current === "failure") return "failure";
  if (verdict === "neutral") return current ?? "neutral";
  return verdict;
}

/** Every check of the commit from GitHub, when the GitHub App reaches the repository; else null. */
async function liveChecks(deps: GitHubDeps, repository: ProjectRepository, sha: string) {
  try {
    const summary = await asRepository(deps, repository, null, ({ octokit, owner, repo }) =>
      fetchChecks(octokit, owner, repo, sha),
    );
    return summary.status;
  } catch (error) {
    deps.logger?.warn(
      `Webhook: the checks of ${repository.fullName}@${sha.slice(0, 7)} could not be read from GitHub; using the delivery's verdict (${error instanceof Error ? error.message : String(error)})`,
    );
    return null;
  }
}

const handleChecks: WebhookHandler = async (deps, payload, event) => {
  const check = (event === "check_suite" ? payload.check_suite : payload.check_run) as CheckPayload;
  if (!check?.head_sha) return ignored();
  const repositories = await linkedRepositories(deps, payload.repository);
  if (repositories.length === 0) return ignored();
  const t = schema.pullRequests;
  const pulls = await deps.db
    .select()
    .from(t)
    .where(
      and(
        inArray(
          t.repositoryId,
          repositories.map((r) => r.id),
        ),
        eq(t.headSha, check.head_sha),
      ),
    );
  if (pulls.length === 0) return ignored();
  const config = await resolveGitHubConfig(deps.db, deps.env, deps.secret);
  const verdict = checkVerdict(check);
  const action: string = payload.action ?? event;
  const updates: GitHubUpdate[] = [];
  const live = new Map<string, ChecksStatus | null>();
  for (const pull of pulls) {
    const repository = repositories.find((r) => r.id === pull.repositoryId)!;
    if (config.app && !live.has(repository.id)) {
      live.set(repository.id, await liveChecks(deps, repository, check.head_sha));
    }
    const status = live.get(repository.id) ?? foldChecks(pull.checksStatus, verdict);
    if (status === pull.checksStatus) continue;
    await deps.db.update(t).set({ checksStatus: status }).where(eq(t.id, pull.id));
    updates.push({
      projectId: pull.projectId,
      kind: "pull_request",
      id: pull.id,
      number: pull.number,
      action,
    });
  }
  return processed(updates);
};

// --- pushes -----------------------------------------------------------------------------------------------

const NO_COMMIT = /^0+$/;

/**
 * A push moves a branch: the repository's last push time is recorded for everyone who lists it, and open
 * pull requests from that branch get their new head (their checks become unknown until reported).
 */
const handlePush: WebhookHandler = async (deps, payload) => {
  const repository = payload.repository as (RepositoryPayload & { pushed_at?: number | string }) | undefined;
  if (!repository) return ignored();
  const pushedAt =
    typeof repository.pushed_at === "number"
      ? new Date(repository.pushed_at * 1000)
      : toDate(repository.pushed_at);
  if (pushedAt) {
    await deps.db
      .update(schema.githubRepositories)
      .set({ pushedAt })
      .where(eq(schema.githubRepositories.githubId, repository.id));
  }
  const ref: string = payload.ref ?? "";
  const after: string = payload.after ?? "";
  const repositories = await linkedRepositories(deps, repository);
  if (!ref.startsWith("refs/heads/") || NO_COMMIT.test(after) || repositories.length === 0) {
    return processed();
  }
  const branch = ref.slice("refs/heads/".length);
  const t = schema.pullRequests;
  const moved = await deps.db
    .update(t)
    .set({ headSha: after, checksStatus: null, mergeable: null })
    .where(
      and(
        inArray(
          t.repositoryId,
          repositories.map((r) => r.id),
        ),
        eq(t.headBranch, branch),
        eq(t.state, "open"),
        sql`${t.headSha} is not ${after}`,
      ),
    )
    .returning({ id: t.id, projectId: t.projectId, number: t.number });
  return processed(
    moved.map((row) => ({
      projectId: row.projectId,
      kind: "pull_request",
      id: row.id,
      number: row.number,
      action: "push",
    })),
  );
};

// --- the rest ---------------------------------------------------------------------------------------------

/** Nothing to store: answered so GitHub shows the hook works. */
const handlePing: WebhookHandler = async () => processed();

/**
 * The schema keeps no installations: the app's installation is looked up per repository when it is used
 * (`repositoryGitHub`), so an installation added or removed needs nothing stored. Recorded as processed.
 */
const handleInstallation: WebhookHandler = async () => processed();

/** Comments are not synced; the delivery is kept so administrators see it arrived. */
const handleIssueComment: WebhookHandler = async () => ignored();

export const WEBHOOK_HANDLERS: Record<string, WebhookHandler> = {
  ping: handlePing,
  issues: handleIssues,
  issue_comment: handleIssueComment,
  pull_request: handlePullRequest,
  pull_request_review: handlePullRequestReview,
  check_suite: handleChecks,
  check_run: handleChecks,
  push: handlePush,
  installation: handleInstallation,
};
