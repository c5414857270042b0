// A person's GitHub repositories (synced with conditional requests, so an unchanged re-sync costs 304s and
// no rate limit), their branches, and checking a project repository's access again ("reconnect").
import { type Page, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import { and, asc, count, desc, eq, inArray, like, notInArray, or, sql } from "drizzle-orm";
import { type GitHubClient, nextPageUrl } from "./client";
import type { GitHubDeps } from "./deps";
import { GitHubApiError, GitHubError, statusOf, toGitHubError } from "./errors";
import { asUser } from "./oauth";

type RepoRow = typeof schema.githubRepositories.$inferSelect;
type ProjectRepoRow = typeof schema.projectRepositories.$inferSelect;

/** The fields of GitHub's repository object this package reads. */
type GitHubRepo = {
  id: number;
  name: string;
  full_name: string;
  description: string | null;
  private: boolean;
  default_branch?: string;
  language?: string | null;
  html_url: string;
  clone_url?: string;
  ssh_url?: string;
  stargazers_count?: number;
  forks_count?: number;
  pushed_at?: string | null;
};

export type RepositorySyncResult = { synced: number; added: number; updated: number; removed: number };

export type SyncOptions = {
  /** Ask for every page in full, ignoring stored ETags. */
  force?: boolean;
  /** Repositories per page (GitHub's maximum is 100). */
  pageSize?: number;
};

const toValues = (repo: GitHubRepo) => ({
  githubId: repo.id,
  name: repo.name,
  fullName: repo.full_name,
  description: repo.description ?? null,
  isPrivate: repo.private,
  defaultBranch: repo.default_branch ?? "main",
  language: repo.language ?? null,
  htmlUrl: repo.html_url,
  cloneUrl: repo.clone_url ?? null,
  sshUrl: repo.ssh_url ?? null,
  stargazersCount: repo.stargazers_count ?? 0,
  forksCount: repo.forks_count ?? 0,
  pushedAt: repo.pushed_at ? new Date(repo.pushed_at) : null,
});

function differs(row: RepoRow, values: ReturnType<typeof toValues>): boolean {
  return (Object.keys(values) as (keyof typeof values)[]).some((key) => {
    const a = row[key];
    const b = values[key];
    return a instanceof Date || b instanceof Date
      ? (a as Date | null)?.getTime() !== (b as Date | null)?.getTime()
      : a !== b;
  });
}

/**
 * Syncs every repository the person can reach, page by page. Each page is asked for with the ETag it had
 * last time; a 304 says the page is unchanged (and GitHub does not count it against the rate limit), so
 * its stored list of ids stands in for it. Repositories no longer listed are removed.
 */
export async function syncRepositories(
  deps: GitHubDeps,
  userId: string,
  options: SyncOptions = {},
): Promise<RepositorySyncResult> {
  return asUser(deps, userId, async ({ octokit }) => {
    const pageSize = Math.min(Math.max(options.pageSize ?? 100, 1), 100);
    const result = { synced: 0, added: 0, updated: 0, removed: 0 };
    const seen: number[] = [];
    const visited: string[] = [];
    let url: string | null = `/user/repos?per_page=${pageSize}&sort=full_name&direction=asc`;
    while (url && !visited.includes(url)) {
      visited.push(url);
      const page = await fetchPage(deps, octokit, userId, url, options.force ?? false);
      if (page.items) {
        const counts = await storeRepositories(deps, userId, page.items);
        result.added += counts.added;
        result.updated += counts.updated;
      }
      seen.push(...page.ids);
      url = page.next;
    }
    const db = deps.db;
    const r = schema.githubRepositories;
    const gone = await db
      .delete(r)
      .where(and(eq(r.userId, userId), seen.length ? notInArray(r.githubId, seen) : sql`1 = 1`))
      .returning({ id: r.id });
    result.removed = gone.length;
    const e = schema.githubEtags;
    await db.delete(e).where(and(eq(e.userId, userId), notInArray(e.url, visited)));
    await db
      .update(schema.githubConnections)
      .set({ lastSyncAt: deps.now() })
      .where(eq(schema.githubConnections.userId, userId));
    result.synced = new Set(seen).size;
    return result;
  });
}

type FetchedPage = { ids: number[]; items: GitHubRepo[] | null; next: string | null };

async function fetchPage(
  deps: GitHubDeps,
  octokit: GitHubClient,
  userId: string,
  url: string,
  force: boolean,
): Promise<FetchedPage> {
  const e = schema.githubEtags;
  const stored = force
    ? undefined
    : await deps.db.query.githubEtags.findFirst({ where: and(eq(e.userId, userId), eq(e.url, url)) });
  try {
    const response = await octokit.request(`GET ${url}`, {
      headers: stored ? { "if-none-match": stored.etag } : {},
    });
    const items = response.data as GitHubRepo[];
    const next = nextPageUrl(response.headers.link);
    const ids = items.map((i) => i.id);
    const etag = response.headers.etag;
    if (etag) {
      const values = { etag, itemIds: ids, nextUrl: next };
      await deps.db
        .insert(e)
        .values({ userId, url, ...values })
        .onConflictDoUpdate({ target: [e.userId, e.url], set: { ...values, updatedAt: new Date() } });
    }
    return { ids, items, next };
  } catch (error) {
    if (stored && statusOf(error) === 304) return { ids: stored.itemIds, items: null, next: stored.nextUrl };
    throw error;
  }
}

async function storeRepositories(deps: GitHubDeps, userId: string, repos: GitHubRepo[]) {
  const r = schema.githubRepositories;
  let added = 0;
  let updated = 0;
  if (repos.length === 0) return { added, updated };
  await deps.db.transaction(async (tx) => {
    const existing = await tx.query.githubRepositories.findMany({
      where: and(
        eq(r.userId, userId),
        inArray(
          r.githubId,
          repos.map((x) => x.id),
        ),
      ),
    });
    const byId = new Map(existing.map((row) => [row.githubId, row]));
    for (const repo of repos) {
      const values = toValues(repo);
      const row = byId.get(repo.id);
      if (!row) {
        await tx.insert(r).values({ userId, ...values });
        added += 1;
      } else if (differs(row, values)) {
        await tx.update(r).set(values).where(eq(r.id, row.id));
        updated += 1;
      }
    }
  });
  return { added, updated };
}

export type RepositoryListItem = RepoRow & {
  /** Linked to one of the person's projects. */
  connected: boolean;
};

/** The person's synced repositories, most recently pushed first; `connected` filters on being linked to a project. */
export async function listRepositories(
  deps: GitHubDeps,
  userId: string,
  query: PageRequest & { search?: string | undefined; connected?: boolean | undefined },
): Promise<Page<RepositoryListItem>> {
  const r = schema.githubRepositories;
  // Columns spelled out: inside a select list drizzle drops table names, which the join would need.
  const linked = sql<number>`exists (select 1 from project_repositories pr join project_members pm
    on pm.project_id = pr.project_id where pm.user_id = ${userId} and pr.github_id = "github_repositories"."github_id")`;
  const conditions = [eq(r.userId, userId)];
  if (query.search) {
    const pattern = `%${query.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(like(r.fullName, pattern), like(sql`coalesce(${r.description}, '')`, pattern))!);
  }
  if (query.connected !== undefined) conditions.push(query.connected ? sql`${linked}` : sql`not ${linked}`);
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    deps.db
      .select({ repo: r, connected: linked })
      .from(r)
      .where(where)
      .orderBy(desc(r.pushedAt), asc(r.fullName))
      .limit(query.limit)
      .offset(pageOffset(query)),
    deps.db.select({ n: count() }).from(r).where(where),
  ]);
  return toPage(
    rows.map(({ repo, connected }) => ({ ...repo, connected: Boolean(connected) })),
    total?.n ?? 0,
    query,
  );
}

export type Branch = { name: string; headSha: string; protected: boolean; isDefault: boolean };

/** The branches of one of the person's synced repositories, with head sha and protection. */
export async function listBranches(
  deps: GitHubDeps,
  userId: string,
  repositoryId: string,
): Promise<Branch[]> {
  const r = schema.githubRepositories;
  const repo = await deps.db.query.githubRepositories.findFirst({
    where: and(eq(r.id, repositoryId), eq(r.userId, userId)),
  });
  if (!repo) throw new GitHubError("RESOURCE_NOT_FOUND", "not_found", "Repository not found");
  const [owner, name] = splitFullName(repo.fullName);
  return asUser(deps, userId, async ({ octokit }) => {
    const branches = await octokit.paginate(octokit.rest.repos.listBranches, {
      owner,
      repo: name,
      per_page: 100,
    });
    return branches.map((b) => ({
      name: b.name,
      headSha: b.commit.sha,
      protected: b.protected,
      isDefault: b.name === repo.defaultBranch,
    }));
  });
}

export function splitFullName(fullName: string): [string, string] {
  const [owner, name, ...rest] = fullName.split("/");
  if (!owner || !name || rest.length > 0) {
    throw new GitHubError("VALIDATION_ERROR", "not_found", `"${fullName}" is not an owner/name repository`);
  }
  return [owner, name];
}

/**
 * Checks real access to a project repository through GitHub as `userId` and refreshes what GitHub says of
 * it (language, default branch, private flag). On failure the repository is marked `error` with the reason
 * and the GitHub error is thrown (502 `GITHUB_API_ERROR`).
 */
export async function reconnectProjectRepository(
  deps: GitHubDeps,
  input: { userId: string; projectRepositoryId: string },
): Promise<ProjectRepoRow> {
  const t = schema.projectRepositories;
  const row = await deps.db.query.projectRepositories.findFirst({
    where: eq(t.id, input.projectRepositoryId),
  });
  if (!row) throw new GitHubError("RESOURCE_NOT_FOUND", "not_found", "Repository not found");
  const [owner, name] = splitFullName(row.fullName);
  try {
    const { data } = await asUser(deps, input.userId, ({ octokit }) =>
      octokit.rest.repos.get({ owner, repo: name }),
    );
    const [updated] = await deps.db
      .update(t)
      .set({
        githubId: data.id,
        name: data.name,
        fullName: data.full_name,
        htmlUrl: data.html_url,
        cloneUrl: data.clone_url,
        sshUrl: data.ssh_url,
        defaultBranch: data.default_branch,
        language: data.language ?? null,
        isPrivate: data.private,
        syncStatus: "synced",
        syncError: null,
        lastSyncAt: deps.now(),
      })
      .where(eq(t.id, row.id))
      .returning();
    return updated!;
  } catch (error) {
    const failure = toGitHubError(error);
    const reason =
      failure instanceof GitHubApiError && failure.status === 404
        ? `GitHub does not show ${row.fullName} to your account: it was deleted, renamed, or you lost access.`
        : failure.message;
    await deps.db.update(t).set({ syncStatus: "error", syncError: reason }).where(eq(t.id, row.id));
    throw failure instanceof GitHubApiError && failure.status === 404
      ? new GitHubApiError(404, reason, false)
      : failure;
  }
}
