// A project's GitHub issues, pulled from each of its repositories. GitHub's issues API lists pull requests
// too (each with a `pull_request` key); those are left to the pull request sync.

import { schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import type { GitHubDeps } from "./deps";
import { GitHubError } from "./errors";
import { asRepository, findProjectRepository, type ProjectRepository } from "./repository-client";
import { issueRowValues } from "./row-values";

export type SyncCounts = { synced: number; added: number; updated: number };

export async function activeProjectRepositories(
  deps: GitHubDeps,
  projectId: string,
): Promise<ProjectRepository[]> {
  const t = schema.projectRepositories;
  return deps.db.query.projectRepositories.findMany({
    where: and(eq(t.projectId, projectId), eq(t.isActive, true)),
  });
}

/** Pulls every issue (open and closed) of one project repository into `github_issues`. */
export async function syncRepositoryIssues(
  deps: GitHubDeps,
  repository: ProjectRepository,
  userId: string | null,
): Promise<SyncCounts> {
  const issues = await asRepository(deps, repository, userId, ({ octokit, owner, repo }) =>
    octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: "all", per_page: 100 }),
  );
  const t = schema.githubIssues;
  const counts: SyncCounts = { synced: 0, added: 0, updated: 0 };
  await deps.db.transaction(async (tx) => {
    const existing = await tx.query.githubIssues.findMany({ where: eq(t.repositoryId, repository.id) });
    const byNumber = new Map(existing.map((row) => [row.number, row]));
    for (const issue of issues) {
      if (issue.pull_request) continue;
      counts.synced += 1;
      const values = issueRowValues(issue);
      const row = byNumber.get(issue.number);
      if (!row) {
        await tx.insert(t).values({
          projectId: repository.projectId,
          repositoryId: repository.id,
          number: issue.number,
          ...values,
        });
        counts.added += 1;
      } else if (
        row.githubUpdatedAt?.getTime() !== values.githubUpdatedAt?.getTime() ||
        row.state !== values.state
      ) {
        await tx.update(t).set(values).where(eq(t.id, row.id));
        counts.updated += 1;
      }
    }
  });
  return counts;
}

/** Every active repository of the project; the counts add up across them. */
export async function syncProjectIssues(
  deps: GitHubDeps,
  input: { projectId: string; userId: string | null },
): Promise<SyncCounts> {
  const total: SyncCounts = { synced: 0, added: 0, updated: 0 };
  for (const repository of await activeProjectRepositories(deps, input.projectId)) {
    const counts = await syncRepositoryIssues(deps, repository, input.userId);
    total.synced += counts.synced;
    total.added += counts.added;
    total.updated += counts.updated;
  }
  return total;
}

/** A comment on a synced issue (the "tasks filed for this issue" note); the issue's repository's credentials. */
export async function commentOnIssue(
  deps: GitHubDeps,
  input: { issueId: string; userId: string | null; body: string },
): Promise<{ id: number; htmlUrl: string }> {
  const issue = await deps.db.query.githubIssues.findFirst({
    where: eq(schema.githubIssues.id, input.issueId),
  });
  if (!issue) throw new GitHubError("RESOURCE_NOT_FOUND", "not_found", "Issue not found");
  const repository = await findProjectRepository(deps, issue.repositoryId);
  return asRepository(deps, repository, input.userId, async ({ octokit, owner, repo }) => {
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issue.number,
      body: input.body,
    });
    return { id: data.id, htmlUrl: data.html_url };
  });
}
