// Pulling a project's issues and pull requests from GitHub: on request, and on a schedule for every project
// with linked repositories.
import { schema } from "@crewdeck/db";
import { type GitHubDeps, type ProjectSyncResult, syncProjectGitHub } from "@crewdeck/github";
import { and, asc, eq, exists, sql } from "drizzle-orm";

/** `POST /projects/{id}/issues/sync`: as the person asking (or the app's installation, where installed). */
export const syncProjectNow = (github: GitHubDeps, projectId: string, userId: string) =>
  syncProjectGitHub(github, { projectId, userId });

/**
 * Whose credentials a scheduled sync uses: a member with a usable GitHub connection, the owner first
 * (maintainers next) so the choice is stable. Null leaves it to the app's installation.
 */
async function actingMember(github: GitHubDeps, projectId: string): Promise<string | null> {
  const m = schema.projectMembers;
  const c = schema.githubConnections;
  const [row] = await github.db
    .select({ userId: m.userId })
    .from(m)
    .innerJoin(c, eq(c.userId, m.userId))
    .where(and(eq(m.projectId, projectId), sql`${c.tokenInvalidAt} is null`))
    .orderBy(sql`case ${m.role} when 'owner' then 0 when 'maintainer' then 1 else 2 end`, asc(m.createdAt))
    .limit(1);
  return row?.userId ?? null;
}

export type ScheduledSyncReport = {
  projects: number;
  failed: Array<{ projectId: string; error: unknown }>;
  results: Map<string, ProjectSyncResult>;
};

/** Every project with an active linked repository, one after another; a failing project does not stop the rest. */
export async function syncLinkedProjects(github: GitHubDeps): Promise<ScheduledSyncReport> {
  const p = schema.projects;
  const r = schema.projectRepositories;
  const projects = await github.db
    .select({ id: p.id })
    .from(p)
    .where(
      exists(
        github.db
          .select({ one: sql`1` })
          .from(r)
          .where(and(eq(r.projectId, p.id), eq(r.isActive, true))),
      ),
    );
  const report: ScheduledSyncReport = { projects: projects.length, failed: [], results: new Map() };
  for (const { id } of projects) {
    try {
      const userId = await actingMember(github, id);
      report.results.set(id, await syncProjectGitHub(github, { projectId: id, userId }));
    } catch (error) {
      report.failed.push({ projectId: id, error });
    }
  }
  return report;
}
