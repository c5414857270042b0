// A project's synced GitHub issues, filtered and paged, and the project-scoped lookup of one of them.
import { type Executor, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import { and, count, desc, eq, type SQL, sql } from "drizzle-orm";
import { notFound } from "../../errors";
import { iso, isoOrNull } from "../../lib/schemas";

export type IssueRow = typeof schema.githubIssues.$inferSelect;
export type IssueFilters = { state: schema.IssueState | "all"; label?: string | undefined };

export const toIssueDto = (
  issue: IssueRow,
  repository: { id: string; fullName: string },
  taskCount: number,
) => ({
  id: issue.id,
  projectId: issue.projectId,
  repository: { id: repository.id, fullName: repository.fullName },
  number: issue.number,
  title: issue.title,
  body: issue.body,
  state: issue.state,
  labels: issue.labels,
  author: issue.author,
  htmlUrl: issue.htmlUrl,
  taskCount,
  githubCreatedAt: isoOrNull(issue.githubCreatedAt),
  githubUpdatedAt: isoOrNull(issue.githubUpdatedAt),
  closedAt: isoOrNull(issue.closedAt),
  createdAt: iso(issue.createdAt),
  updatedAt: iso(issue.updatedAt),
});

/** Newest on GitHub first; `label` matches one label name exactly. */
export async function listIssues(db: Executor, projectId: string, filters: IssueFilters, page: PageRequest) {
  const i = schema.githubIssues;
  const conditions: SQL[] = [eq(i.projectId, projectId)];
  if (filters.state !== "all") conditions.push(eq(i.state, filters.state));
  if (filters.label) {
    conditions.push(
      sql`exists (select 1 from json_each(${i.labels}) where json_each.value = ${filters.label})`,
    );
  }
  const where = and(...conditions);
  const taskCount = sql<number>`(select count(*) from ${schema.tasks} where ${schema.tasks.issueId} = ${i.id})`;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        issue: i,
        repository: { id: schema.projectRepositories.id, fullName: schema.projectRepositories.fullName },
        taskCount,
      })
      .from(i)
      .innerJoin(schema.projectRepositories, eq(schema.projectRepositories.id, i.repositoryId))
      .where(where)
      .orderBy(desc(i.githubCreatedAt), desc(i.number))
      .limit(page.limit)
      .offset(pageOffset(page)),
    db.select({ n: count() }).from(i).where(where),
  ]);
  const items = rows.map((r) => toIssueDto(r.issue, r.repository, Number(r.taskCount)));
  return toPage(items, total?.n ?? 0, page);
}

/** The issue, when it belongs to the project; 404 otherwise, so ids of other projects cannot be probed. */
export async function loadProjectIssue(db: Executor, projectId: string, issueId: string): Promise<IssueRow> {
  const issue = await db.query.githubIssues.findFirst({
    where: and(eq(schema.githubIssues.id, issueId), eq(schema.githubIssues.projectId, projectId)),
  });
  if (!issue) throw notFound("Issue");
  return issue;
}
