// Which credentials reach a project repository: the GitHub App's installation when the app is configured and
// installed there (so pull requests and comments are authored by the app), else the acting person's token.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import type { GitHubClient } from "./client";
import type { GitHubDeps } from "./deps";
import { GitHubApiError, GitHubError, statusOf, toGitHubError } from "./errors";
import { markTokenInvalid, userGitHub } from "./oauth";
import { splitFullName } from "./repositories";
import { resolveGitHubConfig } from "./settings";

export type ProjectRepository = typeof schema.projectRepositories.$inferSelect;

export type RepositoryGitHub = {
  octokit: GitHubClient;
  /** `app` when acting as the GitHub App's installation. */
  via: "app" | "user";
  owner: string;
  repo: string;
  repository: ProjectRepository;
};

export async function findProjectRepository(deps: GitHubDeps, id: string): Promise<ProjectRepository> {
  const row = await deps.db.query.projectRepositories.findFirst({
    where: eq(schema.projectRepositories.id, id),
  });
  if (!row) throw new GitHubError("RESOURCE_NOT_FOUND", "not_found", "Repository not found");
  return row;
}

/** A client for `repository`: the app's installation if there is one, else `userId`'s token. */
export async function repositoryGitHub(
  deps: GitHubDeps,
  repository: ProjectRepository,
  userId: string | null,
): Promise<RepositoryGitHub> {
  const [owner, repo] = splitFullName(repository.fullName);
  const config = await resolveGitHubConfig(deps.db, deps.env, deps.secret);
  if (config.app) {
    const app = deps.octokit({ type: "app", ...config.app }, config.apiUrl);
    try {
      const { data } = await app.rest.apps.getRepoInstallation({ owner, repo });
      const octokit = deps.octokit(
        { type: "installation", ...config.app, installationId: data.id },
        config.apiUrl,
      );
      return { octokit, via: "app", owner, repo, repository };
    } catch (error) {
      // Not installed on this repository: the person's own token may still reach it.
      if (statusOf(error) !== 404) throw toGitHubError(error);
    }
  }
  if (!userId) {
    throw new GitHubError(
      "CONFLICT",
      "not_connected",
      `No GitHub credentials reach ${repository.fullName}: install the GitHub App on it, or act as a person whose GitHub account is connected.`,
    );
  }
  const { octokit } = await userGitHub(deps, userId);
  return { octokit, via: "user", owner, repo, repository };
}

/** Runs `call` against `repository`; failures become `GitHubError`s and a refused personal token is marked. */
export async function asRepository<T>(
  deps: GitHubDeps,
  repository: ProjectRepository,
  userId: string | null,
  call: (github: RepositoryGitHub) => Promise<T>,
): Promise<T> {
  const github = await repositoryGitHub(deps, repository, userId);
  try {
    return await call(github);
  } catch (error) {
    const failure = toGitHubError(error);
    if (github.via === "user" && userId && failure instanceof GitHubApiError && failure.needsReconnect) {
      await markTokenInvalid(deps, userId);
    }
    throw failure;
  }
}
