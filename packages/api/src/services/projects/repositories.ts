// GitHub repositories linked to a project.
import { type Executor, schema } from "@crewdeck/db";
import { reconnectProjectRepository } from "@crewdeck/github";
import { and, eq, inArray } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict, notFound } from "../../errors";
import { iso, isoOrNull } from "../../lib/schemas";

type RepositoryType = (typeof schema.REPOSITORY_TYPES)[number];
type RepositoryRow = typeof schema.projectRepositories.$inferSelect;
type SyncedRepositoryRow = typeof schema.githubRepositories.$inferSelect;

const TYPE_BY_LANGUAGE: Record<string, RepositoryType> = {
  javascript: "frontend",
  typescript: "frontend",
  python: "backend",
  java: "backend",
  go: "backend",
  rust: "backend",
  swift: "mobile",
  kotlin: "mobile",
  dart: "mobile",
  dockerfile: "infrastructure",
  shell: "infrastructure",
  hcl: "infrastructure",
};

/** §2.3: the repository type follows its main language unless the caller names one. */
export const inferRepositoryType = (language: string | null | undefined): RepositoryType =>
  (language && TYPE_BY_LANGUAGE[language.toLowerCase()]) || "other";

/** A GitHub repository object as GitHub's API (and seed 000 §4.1) spells it. */
export type GithubRepoInput = {
  id?: number | undefined;
  name: string;
  full_name: string;
  html_url?: string | undefined;
  clone_url?: string | undefined;
  ssh_url?: string | undefined;
  default_branch?: string | undefined;
  language?: string | null | undefined;
  private?: boolean | undefined;
  type?: RepositoryType | undefined;
};

export const toRepositoryDto = (r: RepositoryRow) => ({
  id: r.id,
  githubId: r.githubId,
  name: r.name,
  fullName: r.fullName,
  htmlUrl: r.htmlUrl,
  cloneUrl: r.cloneUrl,
  sshUrl: r.sshUrl,
  defaultBranch: r.defaultBranch,
  language: r.language,
  isPrivate: r.isPrivate,
  type: r.type,
  isActive: r.isActive,
  syncStatus: r.syncStatus,
  syncError: r.syncError,
  lastSyncAt: isoOrNull(r.lastSyncAt),
  createdAt: iso(r.createdAt),
});

/**
 * The row to insert. A repository the caller has synced from GitHub takes GitHub's word for its language,
 * default branch, private flag and URLs, and starts `synced`; any other starts `pending` with what was sent.
 */
export const repositoryValues = (
  projectId: string,
  repo: GithubRepoInput,
  synced?: { row: SyncedRepositoryRow; at: Date } | undefined,
) => {
  const given = {
    projectId,
    githubId: repo.id ?? null,
    name: repo.name,
    fullName: repo.full_name,
    htmlUrl: repo.html_url ?? `https://github.com/${repo.full_name}`,
    cloneUrl: repo.clone_url ?? null,
    sshUrl: repo.ssh_url ?? null,
    defaultBranch: repo.default_branch ?? "main",
    language: repo.language ?? null,
    isPrivate: repo.private ?? false,
    type: repo.type ?? inferRepositoryType(repo.language),
  };
  if (!synced) return given;
  const { row, at } = synced;
  return {
    ...given,
    githubId: row.githubId,
    name: row.name,
    htmlUrl: row.htmlUrl,
    cloneUrl: row.cloneUrl ?? given.cloneUrl,
    sshUrl: row.sshUrl ?? given.sshUrl,
    defaultBranch: row.defaultBranch,
    language: row.language,
    isPrivate: row.isPrivate,
    type: repo.type ?? inferRepositoryType(row.language),
    syncStatus: "synced" as const,
    syncError: null,
    lastSyncAt: at,
  };
};

/** The caller's synced GitHub repositories among `fullNames`, by full name. */
export async function syncedRepositoriesOf(db: Executor, userId: string, fullNames: string[]) {
  if (fullNames.length === 0) return new Map<string, SyncedRepositoryRow>();
  const t = schema.githubRepositories;
  const rows = await db.query.githubRepositories.findMany({
    where: and(eq(t.userId, userId), inArray(t.fullName, fullNames)),
  });
  return new Map(rows.map((row) => [row.fullName, row]));
}

async function findByFullName(db: Executor, projectId: string, fullName: string) {
  return db.query.projectRepositories.findFirst({
    where: and(
      eq(schema.projectRepositories.projectId, projectId),
      eq(schema.projectRepositories.fullName, fullName),
    ),
  });
}

export async function addRepository(
  { db, github }: ApiDeps,
  projectId: string,
  repo: GithubRepoInput,
  userId: string,
) {
  if (await findByFullName(db, projectId, repo.full_name)) {
    throw conflict(`${repo.full_name} is already linked to this project`);
  }
  const synced = (await syncedRepositoriesOf(db, userId, [repo.full_name])).get(repo.full_name);
  const [row] = await db
    .insert(schema.projectRepositories)
    .values(repositoryValues(projectId, repo, synced && { row: synced, at: github.now() }))
    .onConflictDoNothing()
    .returning();
  // Lost a race with an identical request: the unique index kept one copy.
  if (!row) throw conflict(`${repo.full_name} is already linked to this project`);
  return toRepositoryDto(row);
}

export async function removeRepository({ db }: ApiDeps, projectId: string, repositoryId: string) {
  const deleted = await db
    .delete(schema.projectRepositories)
    .where(
      and(
        eq(schema.projectRepositories.id, repositoryId),
        eq(schema.projectRepositories.projectId, projectId),
      ),
    )
    .returning();
  if (deleted.length === 0) throw notFound("Repository");
}

/**
 * §2.3 reconnect: checks access through GitHub as the caller and refreshes what GitHub says of the
 * repository; on failure it is marked `error` with the reason and the GitHub error (502) is thrown.
 */
export async function reconnectRepository(
  deps: ApiDeps,
  projectId: string,
  repositoryId: string,
  userId: string,
) {
  const t = schema.projectRepositories;
  const row = await deps.db.query.projectRepositories.findFirst({
    where: and(eq(t.id, repositoryId), eq(t.projectId, projectId)),
  });
  if (!row) throw notFound("Repository");
  return toRepositoryDto(
    await reconnectProjectRepository(deps.github, { userId, projectRepositoryId: row.id }),
  );
}
