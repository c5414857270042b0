// What the engine needs to clone and push a project repository over HTTPS: the URL without credentials and a
// token of the same principal that opens its pull requests (the app's installation, else the person's own),
// handed to git for one command only and never stored.
import type { GitHubDeps } from "./deps";
import { GitHubError } from "./errors";
import { asRepository, type ProjectRepository } from "./repository-client";
import { resolveGitHubConfig } from "./settings";

export type RepositoryGitAccess = {
  /** `https://…/<owner>/<name>.git`, never with credentials in it. */
  cloneUrl: string;
  token: string;
  via: "app" | "user";
};

export async function repositoryGitAccess(
  deps: GitHubDeps,
  repository: ProjectRepository,
  userId: string | null,
): Promise<RepositoryGitAccess> {
  const config = await resolveGitHubConfig(deps.db, deps.env, deps.secret);
  const cloneUrl = repository.cloneUrl ?? `${config.webUrl.replace(/\/+$/, "")}/${repository.fullName}.git`;
  return asRepository(deps, repository, userId, async ({ octokit, via }) => {
    // The token strategy answers with the person's token; the app's strategy mints an installation token.
    const auth = (await octokit.auth(via === "app" ? { type: "installation" } : undefined)) as {
      token?: unknown;
    };
    if (typeof auth?.token !== "string" || auth.token === "") {
      throw new GitHubError("CONFLICT", "not_connected", `No token reaches ${repository.fullName}`);
    }
    return { cloneUrl, token: auth.token, via };
  });
}
