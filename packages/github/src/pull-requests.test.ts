// Issues and pull requests against the fake: issues without the pull requests GitHub mixes in, checks from
// check runs and statuses, merges refused with the reason in words, comments, the open-or-update service
// (as the GitHub App when it is installed), and git over smart HTTP for the agents' branches.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { syncProjectIssues } from "./issues";
import {
  commentOnPullRequest,
  mergePullRequest,
  openOrUpdatePullRequest,
  syncProjectGitHub,
} from "./pull-requests";
import { createGitHubTestWorld, type GitHubTestWorld, gitHubFailure } from "./testing";

const REPO = "ada-gh/website";

describe("issues and pull requests", () => {
  let w: GitHubTestWorld;
  let userId: string;
  let projectId: string;
  let repositoryId: string;
  beforeEach(async () => {
    w = await createGitHubTestWorld();
    w.github.addUser("ada-gh");
    w.github.addRepo(REPO, { language: "TypeScript" });
    userId = (await w.user("ada")).id;
    await w.connect(userId, "ada-gh");
    projectId = (await w.project("Website", userId)).id;
    repositoryId = (await w.projectRepository(projectId, REPO)).id;
  });
  afterEach(async () => {
    await w.close();
  });

  const pullRow = async (number: number) =>
    (
      await w.db.query.pullRequests.findMany({ where: eq(schema.pullRequests.repositoryId, repositoryId) })
    ).find((p) => p.number === number)!;

  it("syncs issues without the pull requests, and again without duplicates", async () => {
    w.github.addIssue(REPO, { title: "Login is slow", labels: ["bug", "p1"] });
    w.github.addIssue(REPO, { title: "Old one", state: "closed" });
    w.github.addPull(REPO, { title: "Speed up login", head: "fix/login" });
    expect(await syncProjectIssues(w.deps, { projectId, userId })).toEqual({
      synced: 2,
      added: 2,
      updated: 0,
    });
    expect(await syncProjectIssues(w.deps, { projectId, userId })).toEqual({
      synced: 2,
      added: 0,
      updated: 0,
    });
    const issues = await w.db.query.githubIssues.findMany();
    expect(issues.map((i) => [i.number, i.title, i.state, i.labels])).toEqual([
      [1, "Login is slow", "open", ["bug", "p1"]],
      [2, "Old one", "closed", []],
    ]);
  });

  it("syncs pull requests with their checks from check runs and commit statuses", async () => {
    const green = w.github.addPull(REPO, { title: "Green", head: "green" });
    const red = w.github.addPull(REPO, { title: "Red", head: "red" });
    const running = w.github.addPull(REPO, { title: "Running", head: "running" });
    w.github.addPull(REPO, { title: "No checks", head: "plain" });
    w.github.addCheckRun(REPO, green.pull!.headSha, {
      name: "test",
      status: "completed",
      conclusion: "success",
    });
    w.github.addCheckRun(REPO, red.pull!.headSha, {
      name: "test",
      status: "completed",
      conclusion: "success",
    });
    w.github.addStatus(REPO, red.pull!.headSha, { context: "ci/lint", state: "failure" });
    w.github.addCheckRun(REPO, running.pull!.headSha, { name: "build", status: "in_progress" });

    const result = await syncProjectGitHub(w.deps, { projectId, userId });
    expect(result.pullRequests).toEqual({ synced: 4, added: 4, updated: 0 });
    expect(result.issues.synced).toBe(0);
    const rows = await w.db.query.pullRequests.findMany();
    expect(rows.map((p) => [p.title, p.checksStatus, p.mergeable, p.state])).toEqual([
      ["Green", "success", true, "open"],
      ["Red", "failure", true, "open"],
      ["Running", "pending", true, "open"],
      ["No checks", "neutral", true, "open"],
    ]);
    expect(rows[0]).toMatchObject({
      headBranch: "green",
      baseBranch: "main",
      headSha: green.pull!.headSha,
      author: "ada-gh",
    });
  });

  it("refuses to merge with the reason in words, and merges once the checks pass", async () => {
    const pr = w.github.addPull(REPO, { title: "Feature", head: "feature" });
    w.github.addCheckRun(REPO, pr.pull!.headSha, {
      name: "unit tests",
      status: "completed",
      conclusion: "failure",
    });
    await syncProjectGitHub(w.deps, { projectId, userId });
    const row = await pullRow(pr.number);

    const failed = await gitHubFailure(mergePullRequest(w.deps, { pullRequestId: row.id, userId }));
    expect(failed).toMatchObject({ code: "CONFLICT", reason: "checks_failed" });
    expect(failed.message).toBe("Pull request #1 cannot be merged: checks failed (unit tests).");

    w.github.addCheckRun(REPO, pr.pull!.headSha, { name: "unit tests", status: "in_progress" });
    const pending = await gitHubFailure(mergePullRequest(w.deps, { pullRequestId: row.id, userId }));
    expect(pending).toMatchObject({ reason: "checks_pending" });
    expect(pending.message).toMatch(/still running \(unit tests\)/);

    w.github.addCheckRun(REPO, pr.pull!.headSha, {
      name: "unit tests",
      status: "completed",
      conclusion: "success",
    });
    pr.pull!.mergeable = false;
    const conflicted = await gitHubFailure(mergePullRequest(w.deps, { pullRequestId: row.id, userId }));
    expect(conflicted).toMatchObject({ reason: "not_mergeable" });
    expect(conflicted.message).toMatch(/feature conflicts with main/);
    expect(w.github.apiRequests().some((r) => r.path.endsWith("/merge"))).toBe(false);

    pr.pull!.mergeable = true;
    const merged = await mergePullRequest(w.deps, { pullRequestId: row.id, userId });
    expect(merged).toMatchObject({ state: "merged", checksStatus: "success" });
    expect(merged.mergedAt).toEqual(w.clock.now);
    expect(pr.pull!.merged).toBe(true);
    const mergeCall = w.github.apiRequests().find((r) => r.path.endsWith("/merge"));
    expect(mergeCall?.body).toMatchObject({ merge_method: "squash", sha: pr.pull!.headSha });

    const again = await gitHubFailure(mergePullRequest(w.deps, { pullRequestId: row.id, userId }));
    expect(again.message).toMatch(/already merged/);
  });

  it("comments on a pull request", async () => {
    const pr = w.github.addPull(REPO, { title: "Feature", head: "feature" });
    await syncProjectGitHub(w.deps, { projectId, userId });
    const row = await pullRow(pr.number);
    const comment = await commentOnPullRequest(w.deps, {
      pullRequestId: row.id,
      userId,
      body: "Please add tests.",
    });
    expect(comment.htmlUrl).toContain(`/${REPO}/issues/1#issuecomment-`);
    expect(pr.comments.map((c) => [c.author, c.body])).toEqual([["ada-gh", "Please add tests."]]);
  });

  it("opens a pull request from a task branch, then updates the same one", async () => {
    w.github.setBranch(REPO, "task/login");
    const opened = await openOrUpdatePullRequest(w.deps, {
      projectRepositoryId: repositoryId,
      head: "task/login",
      title: "Speed up login",
      body: "First try",
      userId,
    });
    expect(opened.created).toBe(true);
    expect(opened.pullRequest).toMatchObject({
      number: 1,
      headBranch: "task/login",
      baseBranch: "main",
      state: "open",
    });
    const updated = await openOrUpdatePullRequest(w.deps, {
      projectRepositoryId: repositoryId,
      head: "task/login",
      title: "Speed up login (revised)",
      body: "Second try",
      userId,
    });
    expect(updated.created).toBe(false);
    expect(updated.pullRequest.id).toBe(opened.pullRequest.id);
    expect(w.github.issue(REPO, 1)).toMatchObject({ title: "Speed up login (revised)", body: "Second try" });
  });

  it("acts as the GitHub App's installation when the app is installed, with no person's token", async () => {
    await w.installApp([REPO]);
    w.github.setBranch(REPO, "task/app");
    const { pullRequest } = await openOrUpdatePullRequest(w.deps, {
      projectRepositoryId: repositoryId,
      head: "task/app",
      title: "From the app",
      userId: null,
    });
    expect(pullRequest.author).toBe("crewdeck-fake[bot]");
    const calls = w.github.apiRequests();
    expect(calls.some((r) => /^\/app\/installations\/\d+\/access_tokens$/.test(r.path))).toBe(true);
    expect(
      calls.filter((r) => r.path.endsWith("/pulls")).every((r) => r.principal?.startsWith("installation:")),
    ).toBe(true);
    expect(JSON.stringify(w.logs)).not.toContain("PRIVATE KEY");
  });

  it("serves the repository over git smart HTTP: clone, push a branch, open its pull request", async () => {
    const cloneUrl = w.github.createGitRepository(REPO, { "README.md": "# Website\n" });
    const token = w.github.issueToken("ada-gh");
    const work = mkdtempSync(path.join(tmpdir(), "crewdeck-clone-"));
    try {
      const authed = cloneUrl.replace("http://", `http://x-access-token:${token}@`);
      // Asynchronous: the fake answers git from this same process.
      const git = async (...args: string[]) =>
        (
          await promisify(execFile)("git", args, {
            cwd: work,
            encoding: "utf8",
            env: {
              ...process.env,
              GIT_AUTHOR_NAME: "Ada",
              GIT_AUTHOR_EMAIL: "ada@example.test",
              GIT_COMMITTER_NAME: "Ada",
              GIT_COMMITTER_EMAIL: "ada@example.test",
              GIT_TERMINAL_PROMPT: "0",
            },
          })
        ).stdout;
      await git("clone", "--quiet", authed, ".");
      await git("checkout", "--quiet", "-b", "task/readme");
      writeFileSync(path.join(work, "README.md"), "# Website\n\nBetter.\n");
      await git("commit", "--quiet", "-am", "Improve the readme");
      await git("push", "--quiet", "origin", "task/readme");
      const head = (await git("rev-parse", "HEAD")).trim();

      const { pullRequest } = await openOrUpdatePullRequest(w.deps, {
        projectRepositoryId: repositoryId,
        head: "task/readme",
        title: "Improve the readme",
        userId,
      });
      expect(pullRequest.headSha).toBe(head);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
