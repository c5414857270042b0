// Pull requests: synced with their checks, merged only when GitHub says they can be and the checks passed,
// commented on, and opened or updated from a task's branch (the service the agents' work calls).

import { schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import type { GitHubClient } from "./client";
import type { GitHubDeps } from "./deps";
import { GitHubApiError, GitHubError, toGitHubError } from "./errors";
import { activeProjectRepositories, type SyncCounts, syncRepositoryIssues } from "./issues";
import { asRepository, findProjectRepository, type ProjectRepository } from "./repository-client";
import { pullRequestRowValues } from "./row-values";
import type { PullPayload } from "./webhooks/types";

type PullRequestRow = typeof schema.pullRequests.$inferSelect;
export type ChecksStatus = schema.ChecksStatus;

export type ChecksSummary = {
  status: ChecksStatus;
  /** Names of the failed check runs and statuses. */
  failing: string[];
  /** Names of those still queued or running. */
  pending: string[];
};

const FAILED_CONCLUSIONS = new Set([
  "failure",
  "timed_out",
  "cancelled",
  "action_required",
  "startup_failure",
]);

/**
 * One verdict from the check runs (Actions and apps) and the combined commit status (older integrations):
 * any failure fails, else anything unfinished is pending, else any success succeeds; nothing at all is neutral.
 */
export async function fetchChecks(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  ref: string,
): Promise<ChecksSummary> {
  const [runs, combined] = await Promise.all([
    octokit.paginate(octokit.rest.checks.listForRef, { owner, repo, ref, per_page: 100 }),
    octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref }),
  ]);
  const failing: string[] = [];
  const pending: string[] = [];
  let succeeded = false;
  for (const run of runs) {
    if (run.status !== "completed") pending.push(run.name);
    else if (run.conclusion && FAILED_CONCLUSIONS.has(run.conclusion)) failing.push(run.name);
    else if (run.conclusion === "success") succeeded = true;
  }
  for (const status of combined.data.statuses) {
    if (status.state === "failure" || status.state === "error") failing.push(status.context);
    else if (status.state === "pending") pending.push(status.context);
    else if (status.state === "success") succeeded = true;
  }
  const status: ChecksStatus = failing.length
    ? "failure"
    : pending.length
      ? "pending"
      : succeeded
        ? "success"
        : "neutral";
  return { status, failing, pending };
}

/** Inserts or updates the row for `pull` (by repository and number) and returns it. */
async function storePull(
  deps: GitHubDeps,
  repository: ProjectRepository,
  pull: PullPayload,
  extra: Partial<typeof schema.pullRequests.$inferInsert> = {},
): Promise<{ row: PullRequestRow; added: boolean }> {
  const t = schema.pullRequests;
  const values = { ...pullRequestRowValues(pull), ...extra };
  const existing = await deps.db.query.pullRequests.findFirst({
    where: and(eq(t.repositoryId, repository.id), eq(t.number, pull.number)),
  });
  if (existing) {
    const [row] = await deps.db.update(t).set(values).where(eq(t.id, existing.id)).returning();
    return { row: row!, added: false };
  }
  const [row] = await deps.db
    .insert(t)
    .values({ projectId: repository.projectId, repositoryId: repository.id, number: pull.number, ...values })
    .returning();
  return { row: row!, added: true };
}

/** Every pull request of one repository; open ones also get their mergeability and checks. */
export async function syncRepositoryPullRequests(
  deps: GitHubDeps,
  repository: ProjectRepository,
  userId: string | null,
): Promise<SyncCounts> {
  return asRepository(deps, repository, userId, async ({ octokit, owner, repo }) => {
    const pulls = await octokit.paginate(octokit.rest.pulls.list, {
      owner,
      repo,
      state: "all",
      per_page: 100,
    });
    const t = schema.pullRequests;
    const existing = await deps.db.query.pullRequests.findMany({ where: eq(t.repositoryId, repository.id) });
    const known = new Map(existing.map((row) => [row.number, row]));
    const counts: SyncCounts = { synced: 0, added: 0, updated: 0 };
    for (const listed of pulls) {
      counts.synced += 1;
      const before = known.get(listed.number);
      let extra: Partial<typeof schema.pullRequests.$inferInsert> = {};
      if (listed.state === "open") {
        // Only the single-pull answer says whether it can be merged.
        const [{ data: full }, checks] = await Promise.all([
          octokit.rest.pulls.get({ owner, repo, pull_number: listed.number }),
          fetchChecks(octokit, owner, repo, listed.head.sha),
        ]);
        extra = { mergeable: full.mergeable ?? null, checksStatus: checks.status };
      } else if (before && before.githubUpdatedAt?.getTime() === Date.parse(listed.updated_at)) {
        continue;
      }
      const { added } = await storePull(deps, repository, listed as PullPayload, extra);
      if (added) counts.added += 1;
      else if (
        before?.githubUpdatedAt?.getTime() !== Date.parse(listed.updated_at) ||
        before?.checksStatus !== extra.checksStatus ||
        before?.mergeable !== extra.mergeable
      ) {
        counts.updated += 1;
      }
    }
    return counts;
  });
}

export type ProjectSyncResult = { issues: SyncCounts; pullRequests: SyncCounts };

/** Issues and pull requests of every active repository of the project (`POST /projects/{id}/issues/sync`). */
export async function syncProjectGitHub(
  deps: GitHubDeps,
  input: { projectId: string; userId: string | null },
): Promise<ProjectSyncResult> {
  const result: ProjectSyncResult = {
    issues: { synced: 0, added: 0, updated: 0 },
    pullRequests: { synced: 0, added: 0, updated: 0 },
  };
  const add = (into: SyncCounts, counts: SyncCounts) => {
    into.synced += counts.synced;
    into.added += counts.added;
    into.updated += counts.updated;
  };
  for (const repository of await activeProjectRepositories(deps, input.projectId)) {
    add(result.issues, await syncRepositoryIssues(deps, repository, input.userId));
    add(result.pullRequests, await syncRepositoryPullRequests(deps, repository, input.userId));
  }
  return result;
}

async function findPullRequest(deps: GitHubDeps, pullRequestId: string) {
  const row = await deps.db.query.pullRequests.findFirst({
    where: eq(schema.pullRequests.id, pullRequestId),
  });
  if (!row) throw new GitHubError("RESOURCE_NOT_FOUND", "not_found", "Pull request not found");
  return { row, repository: await findProjectRepository(deps, row.repositoryId) };
}

const refuse = (reason: "not_mergeable" | "checks_failed" | "checks_pending" | "not_open", message: string) =>
  new GitHubError("CONFLICT", reason, message);

export type MergeMethod = "merge" | "squash" | "rebase";

/**
 * Merges through GitHub when it can be merged and its checks passed (or there are none); otherwise a
 * `CONFLICT` whose message says why in words. Reads the pull request and its checks fresh from GitHub first.
 */
export async function mergePullRequest(
  deps: GitHubDeps,
  input: { pullRequestId: string; userId: string | null; method?: MergeMethod; commitTitle?: string },
): Promise<PullRequestRow> {
  const { row, repository } = await findPullRequest(deps, input.pullRequestId);
  return asRepository(deps, repository, input.userId, async ({ octokit, owner, repo }) => {
    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: row.number });
    const checks = await fetchChecks(octokit, owner, repo, pull.head.sha);
    await storePull(deps, repository, pull as PullPayload, {
      mergeable: pull.mergeable ?? null,
      checksStatus: checks.status,
    });
    if (pull.merged_at) throw refuse("not_open", `Pull request #${pull.number} is already merged.`);
    if (pull.state !== "open") throw refuse("not_open", `Pull request #${pull.number} is closed.`);
    if (checks.status === "failure") {
      throw refuse(
        "checks_failed",
        `Pull request #${pull.number} cannot be merged: checks failed (${checks.failing.join(", ")}).`,
      );
    }
    if (checks.status === "pending") {
      throw refuse(
        "checks_pending",
        `Pull request #${pull.number} cannot be merged yet: checks are still running (${checks.pending.join(", ")}).`,
      );
    }
    if (pull.mergeable === null || pull.mergeable === undefined) {
      throw refuse(
        "not_mergeable",
        `GitHub is still working out whether pull request #${pull.number} can be merged: try again in a moment.`,
      );
    }
    if (!pull.mergeable) {
      throw refuse(
        "not_mergeable",
        `Pull request #${pull.number} cannot be merged: ${pull.head.ref} conflicts with ${pull.base.ref}; resolve the conflicts first.`,
      );
    }
    try {
      await octokit.rest.pulls.merge({
        owner,
        repo,
        pull_number: pull.number,
        sha: pull.head.sha,
        merge_method: input.method ?? "squash",
        ...(input.commitTitle ? { commit_title: input.commitTitle } : {}),
      });
    } catch (error) {
      // 405 (not mergeable, e.g. branch protection) and 409 (head moved) are refusals, not GitHub failures.
      const failure = toGitHubError(error);
      if (failure instanceof GitHubApiError && (failure.status === 405 || failure.status === 409)) {
        throw refuse(
          "not_mergeable",
          `GitHub refused to merge pull request #${pull.number}: ${failure.githubMessage}`,
        );
      }
      throw failure;
    }
    const now = deps.now();
    const [merged] = await deps.db
      .update(schema.pullRequests)
      .set({ state: "merged", mergedAt: now, closedAt: now })
      .where(eq(schema.pullRequests.id, row.id))
      .returning();
    return merged!;
  });
}

export type PostedComment = { id: number; htmlUrl: string };

/** A comment on the pull request's conversation (the reject-with-feedback path). */
export async function commentOnPullRequest(
  deps: GitHubDeps,
  input: { pullRequestId: string; userId: string | null; body: string },
): Promise<PostedComment> {
  const { row, repository } = await findPullRequest(deps, input.pullRequestId);
  return asRepository(deps, repository, input.userId, async ({ octokit, owner, repo }) => {
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: row.number,
      body: input.body,
    });
    return { id: data.id, htmlUrl: data.html_url };
  });
}

export type OpenPullRequestInput = {
  projectRepositoryId: string;
  /** The task's branch, in the same repository. */
  head: string;
  /** The repository's default branch unless given. */
  base?: string;
  title: string;
  body?: string;
  draft?: boolean;
  /** The person whose token is used when the GitHub App is not installed on the repository. */
  userId: string | null;
  taskId?: string | null;
  runId?: string | null;
  authoringAgentId?: string | null;
};

/**
 * Opens a pull request from `head`, or updates the title and body of the open one that already comes from
 * it, so a revised branch keeps one pull request. Returns the stored row and whether it was created.
 */
export async function openOrUpdatePullRequest(
  deps: GitHubDeps,
  input: OpenPullRequestInput,
): Promise<{ pullRequest: PullRequestRow; created: boolean }> {
  const repository = await findProjectRepository(deps, input.projectRepositoryId);
  return asRepository(deps, repository, input.userId, async ({ octokit, owner, repo }) => {
    const { data: open } = await octokit.rest.pulls.list({
      owner,
      repo,
      state: "open",
      head: `${owner}:${input.head}`,
      per_page: 1,
    });
    const existing = open[0];
    const links = {
      ...(input.taskId !== undefined ? { taskId: input.taskId } : {}),
      ...(input.runId !== undefined ? { runId: input.runId } : {}),
      ...(input.authoringAgentId !== undefined ? { authoringAgentId: input.authoringAgentId } : {}),
    };
    if (existing) {
      const { data: pull } = await octokit.rest.pulls.update({
        owner,
        repo,
        pull_number: existing.number,
        title: input.title,
        ...(input.body !== undefined ? { body: input.body } : {}),
      });
      const { row } = await storePull(deps, repository, pull as PullPayload, links);
      return { pullRequest: row, created: false };
    }
    const { data: pull } = await octokit.rest.pulls.create({
      owner,
      repo,
      head: input.head,
      base: input.base ?? repository.defaultBranch,
      title: input.title,
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.draft ? { draft: true } : {}),
    });
    const { row } = await storePull(deps, repository, pull as PullPayload, {
      ...links,
      checksStatus: "pending",
    });
    return { pullRequest: row, created: true };
  });
}
