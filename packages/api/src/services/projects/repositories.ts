// GitHub repositories linked to a project.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict, notFound } from "../../errors";
import { iso, isoOrNull } from "../../lib/schemas";

type RepositoryType = (typeof schema.REPOSITORY_TYPES)[number];
type RepositoryRow = typeof schema.projectRepositories.$inferSelect;

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

export const repositoryValues = (projectId: string, repo: GithubRepoInput) => ({
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
});

async function findByFullName(db: Executor, projectId: string, fullName: string) {
  return db.query.projectRepositories.findFirst({
    where: and(
      eq(schema.projectRepositories.projectId, projectId),
      eq(schema.projectRepositories.fullName, fullName),
    ),
  });
}

export async function addRepository({ db }: ApiDeps, projectId: string, repo: GithubRepoInput) {
  if (await findByFullName(db, projectId, repo.full_name)) {
    throw conflict(`${repo.full_name} is already linked to this project`);
  }
  const [row] = await db
    .insert(schema.projectRepositories)
    .values(repositoryValues(projectId, repo))
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
