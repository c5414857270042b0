// Repository sync against the fake with the real Octokit: every page, idempotent, a re-sync served by 304s,
// a revoked token shown as "reconnect", rate limits waited out, and GitHub failures as GITHUB_API_ERROR.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubApiError } from "./errors";
import { getGitHubStatus } from "./oauth";
import { listBranches, listRepositories, reconnectProjectRepository, syncRepositories } from "./repositories";
import { createGitHubTestWorld, type GitHubTestWorld, gitHubFailure } from "./testing";

describe("repositories", () => {
  let w: GitHubTestWorld;
  let userId: string;
  beforeEach(async () => {
    w = await createGitHubTestWorld();
    w.github.addUser("ada-gh");
    w.github.addUser("other");
    for (const name of ["alpha", "bravo", "charlie", "delta"]) {
      w.github.addRepo(`ada-gh/${name}`, { language: "TypeScript", description: `${name} repo` });
    }
    w.github.addRepo("other/shared", { private: true, collaborators: ["ada-gh"], language: "Go" });
    w.github.addRepo("other/secret", { private: true });
    userId = (await w.user("ada")).id;
    await w.connect(userId, "ada-gh");
  });
  afterEach(async () => {
    await w.close();
  });

  const repoListings = () => w.github.apiRequests().filter((r) => r.path === "/user/repos");

  it("syncs every page, and a second sync is answered by 304s and changes nothing", async () => {
    const first = await syncRepositories(w.deps, userId, { pageSize: 2 });
    expect(first).toEqual({ synced: 5, added: 5, updated: 0, removed: 0 });
    expect(repoListings().map((r) => r.status)).toEqual([200, 200, 200]);
    const stored = await w.db.query.githubRepositories.findMany();
    expect(stored.map((r) => r.fullName).sort()).toEqual([
      "ada-gh/alpha",
      "ada-gh/bravo",
      "ada-gh/charlie",
      "ada-gh/delta",
      "other/shared",
    ]);
    expect(stored.find((r) => r.fullName === "other/shared")).toMatchObject({
      isPrivate: true,
      language: "Go",
    });

    const before = w.github.requests.length;
    const second = await syncRepositories(w.deps, userId, { pageSize: 2 });
    expect(second).toEqual({ synced: 5, added: 0, updated: 0, removed: 0 });
    const again = repoListings().slice(3);
    expect(again.map((r) => r.status)).toEqual([304, 304, 304]);
    expect(again.every((r) => r.headers["if-none-match"]?.startsWith('W/"'))).toBe(true);
    expect(w.github.requests.length - before).toBe(3);
    expect(await w.db.query.githubRepositories.findMany()).toHaveLength(5);

    const status = await getGitHubStatus(w.deps, userId);
    expect(status.github?.lastSyncAt).toEqual(w.clock.now);
  });

  it("counts what changed on GitHub: an edit, a new repository and a removed one", async () => {
    await syncRepositories(w.deps, userId, { pageSize: 2 });
    w.github.updateRepo("ada-gh/alpha", { description: "renamed purpose" });
    w.github.removeRepo("ada-gh/delta");
    w.github.addRepo("ada-gh/echo");
    const result = await syncRepositories(w.deps, userId, { pageSize: 2 });
    expect(result).toEqual({ synced: 5, added: 1, updated: 1, removed: 1 });
    const names = (await w.db.query.githubRepositories.findMany()).map((r) => r.fullName).sort();
    expect(names).toEqual(["ada-gh/alpha", "ada-gh/bravo", "ada-gh/charlie", "ada-gh/echo", "other/shared"]);
    // `force` asks for everything again, without ETags.
    await syncRepositories(w.deps, userId, { pageSize: 2, force: true });
    expect(
      repoListings()
        .slice(-3)
        .map((r) => r.headers["if-none-match"]),
    ).toEqual([undefined, undefined, undefined]);
  });

  it("lists the synced repositories with search and pages", async () => {
    await syncRepositories(w.deps, userId);
    const page = await listRepositories(w.deps, userId, { page: 1, limit: 2, search: "ada-gh/" });
    expect(page).toMatchObject({ total: 4, page: 1, pages: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.items.every((r) => r.connected === false)).toBe(true);
    const none = await listRepositories(w.deps, userId, { page: 1, limit: 20, search: "100%" });
    expect(none.total).toBe(0);
    const project = await w.project("Website", userId);
    const linked = await w.projectRepository(project.id, "ada-gh/bravo");
    await reconnectProjectRepository(w.deps, { userId, projectRepositoryId: linked.id });
    const connected = await listRepositories(w.deps, userId, { page: 1, limit: 20, connected: true });
    expect(connected.items.map((r) => [r.fullName, r.connected])).toEqual([["ada-gh/bravo", true]]);
  });

  it("lists branches with head sha and protection", async () => {
    await syncRepositories(w.deps, userId);
    const sha = w.github.setBranch("ada-gh/alpha", "release", { protected: true });
    const repo = await w.db.query.githubRepositories.findFirst({
      where: eq(schema.githubRepositories.fullName, "ada-gh/alpha"),
    });
    const branches = await listBranches(w.deps, userId, repo!.id);
    expect(branches).toEqual([
      {
        name: "main",
        headSha: w.github.repo("ada-gh/alpha").branches.get("main")!.sha,
        protected: false,
        isDefault: true,
      },
      { name: "release", headSha: sha, protected: true, isDefault: false },
    ]);
  });

  it("marks a token GitHub refuses (401) as needing a reconnect, and says so instead of calling again", async () => {
    const token = w.github.apiRequests()[0]!.headers.authorization!.split(" ")[1]!;
    w.github.revokeToken(token);
    const error = await gitHubFailure(syncRepositories(w.deps, userId));
    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).toMatchObject({
      code: "GITHUB_API_ERROR",
      status: 401,
      needsReconnect: true,
      reason: "reconnect_required",
    });
    expect(error.message).toMatch(/Bad credentials.*reconnect/);
    expect(await getGitHubStatus(w.deps, userId)).toMatchObject({ connected: true, needsReconnect: true });

    const calls = w.github.requests.length;
    const again = await gitHubFailure(syncRepositories(w.deps, userId));
    expect(again).toMatchObject({ code: "CONFLICT", reason: "reconnect_required" });
    expect(w.github.requests.length).toBe(calls);
    expect(JSON.stringify(w.logs)).not.toContain(token);

    // Connecting again clears the mark.
    await w.connect(userId, "ada-gh");
    expect((await getGitHubStatus(w.deps, userId)).needsReconnect).toBe(false);
    await syncRepositories(w.deps, userId);
  });

  it("waits out a primary rate limit (x-ratelimit-reset) and a secondary one (retry-after), then succeeds", async () => {
    w.github.rateLimitNext({ resetInSeconds: 1, match: (r) => r.path === "/user/repos" });
    w.github.secondaryLimitNext({ retryAfter: 2, match: (r) => r.path === "/user/repos" });
    const result = await syncRepositories(w.deps, userId);
    expect(result.synced).toBe(5);
    expect(repoListings().map((r) => r.status)).toEqual([403, 403, 200]);
    const warnings = w.logs.filter((l) => l.level === "warn").map((l) => l.message);
    expect(warnings.some((m) => /^GitHub rate limit on GET .*retrying in \d+s/.test(m))).toBe(true);
    expect(warnings.some((m) => /secondary rate limit .*retrying in 2s/.test(m))).toBe(true);
  });

  it("gives up on a limit that lasts too long, as a GitHub error with GitHub's message", async () => {
    w.github.rateLimitNext({ resetInSeconds: 3600 });
    const error = await gitHubFailure(syncRepositories(w.deps, userId));
    expect(error).toMatchObject({ code: "GITHUB_API_ERROR", status: 403, reason: "rate_limited" });
    expect(error.message).toContain("API rate limit exceeded");
  });

  it("retries a GitHub 5xx and then reports it as GITHUB_API_ERROR, never as our own failure", async () => {
    for (let i = 0; i < 4; i++) w.github.failNext(502, "Server Error", (r) => r.path === "/user/repos");
    const error = await gitHubFailure(syncRepositories(w.deps, userId));
    expect(error).toMatchObject({ code: "GITHUB_API_ERROR", status: 502, needsReconnect: false });
    expect(error.message).toBe("GitHub answered 502: Server Error");
    expect(repoListings()).toHaveLength(4);
  });

  it("re-checks a project repository's access, and marks it as an error with the reason when it is gone", async () => {
    const project = await w.project("Website", userId);
    const linked = await w.projectRepository(project.id, "other/shared");
    const synced = await reconnectProjectRepository(w.deps, { userId, projectRepositoryId: linked.id });
    expect(synced).toMatchObject({ syncStatus: "synced", syncError: null, language: "Go", isPrivate: true });
    expect(synced.githubId).toBe(w.github.repo("other/shared").id);
    expect(synced.lastSyncAt).toEqual(w.clock.now);

    w.github.repo("other/shared").collaborators.clear();
    const error = await gitHubFailure(
      reconnectProjectRepository(w.deps, { userId, projectRepositoryId: linked.id }),
    );
    expect(error).toMatchObject({ code: "GITHUB_API_ERROR", status: 404 });
    expect(error.message).toMatch(/does not show other\/shared to your account/);
    const row = await w.db.query.projectRepositories.findFirst({
      where: eq(schema.projectRepositories.id, linked.id),
    });
    expect(row).toMatchObject({ syncStatus: "error" });
    expect(row!.syncError).toMatch(/lost access/);
  });
});
