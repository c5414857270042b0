// What every GitHub service receives, so tests hand it a real database, a fake GitHub and a fixed clock.
import type { Database } from "@crewdeck/db";
import type { OctokitFactory } from "./client";
import type { GitHubLogger } from "./logger";
import type { GitHubEnvironment } from "./settings";

export type GitHubDeps = {
  db: Database;
  /** The server's secret: tokens and stored settings are sealed with keys derived from it. */
  secret: string;
  /** GITHUB_* from the server's env.ts; an administrator's stored settings replace it. */
  env: GitHubEnvironment;
  /** Builds Octokit clients (`createOctokitFactory()` in production). */
  octokit: OctokitFactory;
  now: () => Date;
  logger?: GitHubLogger;
};
