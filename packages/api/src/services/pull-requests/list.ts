// A project's pull requests (opened by its agents, and synced ones), with the task each is linked to.
import { type Executor, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import { and, count, desc, eq, type SQL } from "drizzle-orm";
import { notFound } from "../../errors";
import { iso, isoOrNull } from "../../lib/schemas";

export type PullRequestRow = typeof schema.pullRequests.$inferSelect;
export type PullRequestFilters = { state: schema.PullRequestState | "all" };

const linked = {
  pullRequest: schema.pullRequests,
  repository: { id: schema.projectRepositories.id, fullName: schema.projectRepositories.fullName },
  task: { id: schema.tasks.id, title: schema.tasks.title, status: schema.tasks.status },
  agent: { id: schema.agents.id, name: schema.agents.name, role: schema.agents.role },
};

type LinkedRow = {
  pullRequest: PullRequestRow;
  repository: { id: string; fullName: string };
  task: { id: string; title: string; status: schema.TaskStatus } | null;
  agent: { id: string; name: string; role: schema.AgentRole } | null;
};

export const toPullRequestDto = ({ pullRequest: pr, repository, task, agent }: LinkedRow) => ({
  id: pr.id,
  projectId: pr.projectId,
  repository,
  number: pr.number,
  title: pr.title,
  body: pr.body,
  branch: { head: pr.headBranch, base: pr.baseBranch },
  state: pr.state,
  checksStatus: pr.checksStatus,
  mergeable: pr.mergeable,
  htmlUrl: pr.htmlUrl,
  author: pr.author,
  authoringAgent: agent,
  task,
  runId: pr.runId,
  githubCreatedAt: isoOrNull(pr.githubCreatedAt),
  mergedAt: isoOrNull(pr.mergedAt),
  closedAt: isoOrNull(pr.closedAt),
  createdAt: iso(pr.createdAt),
  updatedAt: iso(pr.updatedAt),
});

const selectLinked = (db: Executor) =>
  db
    .select(linked)
    .from(schema.pullRequests)
    .innerJoin(
      schema.projectRepositories,
      eq(schema.projectRepositories.id, schema.pullRequests.repositoryId),
    )
    .leftJoin(schema.tasks, eq(schema.tasks.id, schema.pullRequests.taskId))
    .leftJoin(schema.agents, eq(schema.agents.id, schema.pullRequests.authoringAgentId));

/** Newest first. */
export async function listPullRequests(
  db: Executor,
  projectId: string,
  filters: PullRequestFilters,
  page: PageRequest,
) {
  const p = schema.pullRequests;
  const conditions: SQL[] = [eq(p.projectId, projectId)];
  if (filters.state !== "all") conditions.push(eq(p.state, filters.state));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    selectLinked(db)
      .where(where)
      .orderBy(desc(p.githubCreatedAt), desc(p.createdAt), desc(p.number))
      .limit(page.limit)
      .offset(pageOffset(page)),
    db.select({ n: count() }).from(p).where(where),
  ]);
  return toPage(rows.map(toPullRequestDto), total?.n ?? 0, page);
}

/** One pull request as the list shows it. */
export async function getPullRequestDto(db: Executor, pullRequestId: string) {
  const [row] = await selectLinked(db).where(eq(schema.pullRequests.id, pullRequestId)).limit(1);
  if (!row) throw notFound("Pull request");
  return toPullRequestDto(row);
}

/** The pull request, when it belongs to the project; 404 otherwise. */
export async function loadProjectPullRequest(
  db: Executor,
  projectId: string,
  pullRequestId: string,
): Promise<PullRequestRow> {
  const row = await db.query.pullRequests.findFirst({
    where: and(eq(schema.pullRequests.id, pullRequestId), eq(schema.pullRequests.projectId, projectId)),
  });
  if (!row) throw notFound("Pull request");
  return row;
}
