// For tests of GitHub features: a real database on a temporary libSQL file, a fake GitHub, and the deps
// wired to both (the real Octokit factory, with waits shrunk so rate-limit retries take milliseconds).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, type Database, migrateDatabase, schema } from "@crewdeck/db";
import { createOctokitFactory } from "../client";
import type { GitHubDeps } from "../deps";
import { GitHubError } from "../errors";
import type { GitHubLogger } from "../logger";
import { connectGitHub, createConnectUrl } from "../oauth";
import { type GitHubEnvironment, setGitHubSettings } from "../settings";
import { type FakeGitHub, startFakeGitHub } from "./fake-github";

export const TEST_SECRET = "a-server-secret-of-at-least-thirty-two-chars";

export type GitHubTestWorld = Awaited<ReturnType<typeof createGitHubTestWorld>>;

export async function createGitHubTestWorld(options: { env?: Partial<GitHubEnvironment> } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "crewdeck-github-"));
  const db: Database = await createDatabase({ url: `file:${path.join(dir, "test.db")}` });
  await migrateDatabase(db);
  const github: FakeGitHub = await startFakeGitHub();
  const logs: Array<{ level: string; message: string; meta: unknown }> = [];
  const logger: GitHubLogger = {
    debug: (message, meta) => void logs.push({ level: "debug", message, meta }),
    info: (message, meta) => void logs.push({ level: "info", message, meta }),
    warn: (message, meta) => void logs.push({ level: "warn", message, meta }),
    error: (message, meta) => void logs.push({ level: "error", message, meta }),
  };
  const clock = { now: new Date() };
  const env: GitHubEnvironment = {
    webUrl: github.webUrl,
    apiUrl: github.apiUrl,
    clientId: github.oauthApp.clientId,
    clientSecret: github.oauthApp.clientSecret,
    ...options.env,
  };
  const deps: GitHubDeps = {
    db,
    secret: TEST_SECRET,
    env,
    octokit: createOctokitFactory({ logger, retryAfterUnitMs: 5, writeSpacingMs: 0 }),
    now: () => clock.now,
    logger,
  };

  const user = async (name: string) => {
    const [row] = await db
      .insert(schema.users)
      .values({ name, email: `${name}@example.test` })
      .returning();
    return row!;
  };
  const project = async (name: string, ownerId: string) => {
    const [row] = await db.insert(schema.projects).values({ name, ownerId }).returning();
    await db.insert(schema.projectMembers).values({ projectId: row!.id, userId: ownerId, role: "owner" });
    return row!;
  };
  const projectRepository = async (projectId: string, fullName: string) => {
    const [row] = await db
      .insert(schema.projectRepositories)
      .values({ projectId, fullName, name: fullName.split("/")[1]!, type: "other" })
      .returning();
    return row!;
  };
  /** Stores a connection for `userId` with a fresh token of `login`, as `connectGitHub` would. */
  const connect = async (userId: string, login: string) => {
    const { state } = await createConnectUrl(deps, { userId, redirectUri: "http://localhost/callback" });
    return connectGitHub(deps, { userId, state, code: github.createCode(login) });
  };

  /** Configures the fake's GitHub App (with the OAuth app) and installs it on `repos`, as an admin would. */
  const installApp = async (repos: string[]) => {
    const app = github.createApp();
    github.installApp(repos);
    await setGitHubSettings(
      db,
      TEST_SECRET,
      {
        webUrl: github.webUrl,
        apiUrl: github.apiUrl,
        clientId: github.oauthApp.clientId,
        clientSecret: github.oauthApp.clientSecret,
        appId: app.appId,
        appPrivateKey: app.privateKey,
      },
      null,
    );
    return app;
  };

  return {
    db,
    github,
    deps,
    logs,
    clock,
    user,
    project,
    projectRepository,
    connect,
    installApp,
    close: async () => {
      await github.close();
      db.$client.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The GitHubError a promise rejects with; success, or any other error, fails the test. */
export async function gitHubFailure(promise: Promise<unknown>): Promise<GitHubError> {
  const error = await promise.then(
    () => new Error("expected a GitHubError, but the call succeeded"),
    (e: unknown) => e,
  );
  if (!(error instanceof GitHubError)) throw error;
  return error;
}
