// The changes of a task's branch against its base, per repository, read from GitHub's compare API: the
// pull request is what a reviewer approves, so the diff shown is the one on GitHub (not a workspace, which is
// removed once the pull request is approved, lives on whichever worker ran the task, and may hold uncommitted
// edits the pull request does not).
import { schema } from "@crewdeck/db";
import { compareBranches, GitHubError } from "@crewdeck/github";
import { desc, eq } from "drizzle-orm";
import type { ApiDeps } from "../../context";

type TaskRow = typeof schema.tasks.$inferSelect;
type PullRequestRow = typeof schema.pullRequests.$inferSelect;

/** The newest pull request of the task in each repository (a revision updates the same one). */
async function taskPullRequests(deps: Pick<ApiDeps, "db">, taskId: string) {
  const rows = await deps.db
    .select({ pullRequest: schema.pullRequests, repository: schema.projectRepositories })
    .from(schema.pullRequests)
    .innerJoin(
      schema.projectRepositories,
      eq(schema.projectRepositories.id, schema.pullRequests.repositoryId),
    )
    .where(eq(schema.pullRequests.taskId, taskId))
    .orderBy(desc(schema.pullRequests.createdAt), desc(schema.pullRequests.id));
  const seen = new Set<string>();
  return rows.filter(({ repository }) => !seen.has(repository.id) && seen.add(repository.id));
}

/** Whose GitHub access reads the diff: the app's installation, else the viewer's, else the run's starter's. */
async function compareAs(
  deps: Pick<ApiDeps, "db" | "github">,
  pullRequest: PullRequestRow,
  repository: typeof schema.projectRepositories.$inferSelect,
  viewerId: string,
) {
  const input = { repository, base: pullRequest.baseBranch, head: pullRequest.headBranch };
  try {
    return await compareBranches(deps.github, { ...input, userId: viewerId });
  } catch (error) {
    // A teammate who never connected GitHub may still read what the crew pushed with the starter's access.
    if (!(error instanceof GitHubError && error.reason === "not_connected") || !pullRequest.runId)
      throw error;
    const run = await deps.db.query.runs.findFirst({
      columns: { startedById: true },
      where: eq(schema.runs.id, pullRequest.runId),
    });
    if (!run?.startedById || run.startedById === viewerId) throw error;
    return compareBranches(deps.github, { ...input, userId: run.startedById });
  }
}

export async function getTaskDiff(deps: Pick<ApiDeps, "db" | "github">, task: TaskRow, viewerId: string) {
  const pulls = await taskPullRequests(deps, task.id);
  const repositories = await Promise.all(
    pulls.map(async ({ pullRequest, repository }) => {
      const comparison = await compareAs(deps, pullRequest, repository, viewerId);
      return {
        repository: { id: repository.id, fullName: repository.fullName },
        pullRequest: {
          id: pullRequest.id,
          number: pullRequest.number,
          state: pullRequest.state,
          htmlUrl: pullRequest.htmlUrl,
        },
        base: comparison.base,
        head: comparison.head,
        aheadBy: comparison.aheadBy,
        files: comparison.files,
        truncated: comparison.truncated,
        totals: {
          files: comparison.files.length,
          additions: comparison.files.reduce((n, f) => n + f.additions, 0),
          deletions: comparison.files.reduce((n, f) => n + f.deletions, 0),
        },
      };
    }),
  );
  return { taskId: task.id, repositories };
}
