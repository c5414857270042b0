// GitHub issues and pull requests (§2.8) over real HTTP: the real server and its real Octokit against the
// local GitHub fake, a real libSQL file, and the Anthropic fake answering as the project's architect.

import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { connectGitHub, createConnectUrl } from "@crewdeck/github";
import { type FakeGitHub, startFakeGitHub } from "@crewdeck/github/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  githubFakeEnv,
  registerUser,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
  verbsAs,
} from "./harness";

const REPO = "acme/app";

const architectAnswer = (tasks: unknown[]) =>
  `## Split\nTwo tasks: the fix, then its test.\n\n\`\`\`json\n${JSON.stringify(
    { summary: "Login fails for emails with a plus sign.", tasks },
    null,
    2,
  )}\n\`\`\``;

describe("GitHub issues and pull requests", () => {
  let github: FakeGitHub;
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let owner: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  let projectId: string;
  let bugIssue: { number: number };

  const as = verbsAs(() => server);
  const commentsOn = (number: number) =>
    github
      .apiRequests()
      .filter((r) => r.method === "POST" && r.path === `/repos/${REPO}/issues/${number}/comments`);

  /** A run's pull request is linked to its task; here the link is written as the run would write it. */
  const linkPullRequest = (pullRequestId: string, taskId: string) =>
    server.deps.db.$client.execute({
      sql: "update pull_requests set task_id = ? where id = ?",
      args: [taskId, pullRequestId],
    });

  /** Moves a task to review as a person would, one allowed step at a time. */
  async function toReview(taskId: string) {
    for (const status of ["pending", "in_progress", "testing", "review"]) {
      const res = await as(owner).patch(`/tasks/${taskId}`, { status });
      expect(res.status).toBe(200);
    }
  }

  beforeAll(async () => {
    github = await startFakeGitHub();
    ({ server, fake, stop } = await startTestServerWithModel({
      ...githubFakeEnv(github),
      RATE_LIMIT_REGISTER_MAX: "1000",
    }));
    await registerUser(server); // the first account is the site admin; the parties below are not
    owner = await registerUser(server);
    viewer = await registerUser(server);
    outsider = await registerUser(server);

    github.addUser("acme");
    github.addRepo(REPO);
    bugIssue = github.addIssue(REPO, {
      title: "Login fails for plus-addressed emails",
      body: "ada+test@example.com cannot sign in.",
      labels: ["bug"],
    });
    github.addIssue(REPO, { title: "Dark mode", labels: ["enhancement"] });
    github.addIssue(REPO, { title: "Old crash", labels: ["bug"], state: "closed" });
    github.addPull(REPO, { title: "Fix login", head: "fix/login" });

    // The owner's GitHub connection, made by the github services on the server's own database.
    const deps = server.deps.github;
    const { state } = await createConnectUrl(deps, { userId: owner.user.id, redirectUri: "http://x/cb" });
    await connectGitHub(deps, { userId: owner.user.id, state, code: github.createCode("acme") });

    const project = await as(owner).post("/projects", {
      name: "Acme",
      repositories: [{ name: "app", full_name: REPO }],
    });
    expect(project.status).toBe(200);
    projectId = project.body.id;
    const added = await addMember(server, owner.access_token, projectId, viewer, "viewer");
    expect(added.status).toBeLessThan(300);
  });
  afterAll(async () => {
    await stop();
    await github.close();
  });

  it("syncs issues (not pull requests) and lists them by state and label; openIssues is the real count", async () => {
    const synced = await as(owner).post(`/projects/${projectId}/issues/sync`);
    expect(synced.status).toBe(200);
    expect(synced.body).toEqual({
      issues: { synced: 3, added: 3, updated: 0 },
      pullRequests: { synced: 1, added: 1, updated: 0 },
    });

    const open = await as(viewer).get(`/projects/${projectId}/issues`);
    expect(open.status).toBe(200);
    expect(open.body.total).toBe(2);
    expect(open.body.items.map((i: { title: string }) => i.title).sort()).toEqual([
      "Dark mode",
      "Login fails for plus-addressed emails",
    ]);
    expect(open.body.items.some((i: { title: string }) => i.title === "Fix login")).toBe(false);

    const all = await as(viewer).get(`/projects/${projectId}/issues?state=all`);
    expect(all.body.total).toBe(3);
    const bugs = await as(viewer).get(`/projects/${projectId}/issues?state=all&label=bug`);
    expect(bugs.body.items.map((i: { title: string }) => i.title).sort()).toEqual([
      "Login fails for plus-addressed emails",
      "Old crash",
    ]);
    const closed = await as(viewer).get(`/projects/${projectId}/issues?state=closed&limit=1`);
    expect(closed.body).toMatchObject({ total: 1, page: 1, pages: 1 });
    expect(closed.body.items[0]).toMatchObject({
      state: "closed",
      labels: ["bug"],
      repository: { fullName: REPO },
    });

    const detail = await as(viewer).get(`/projects/${projectId}`);
    expect(detail.body.stats.openIssues).toBe(2);
    const list = await as(viewer).get("/projects");
    expect(list.body.items.find((p: { id: string }) => p.id === projectId).stats.openIssues).toBe(2);
  });

  it("the scheduled sync picks up new issues as a connected member", async () => {
    github.addIssue(REPO, { title: "Export to CSV", labels: ["enhancement"] });
    await server.githubSync.runOnce();
    expect((await as(viewer).get(`/projects/${projectId}`)).body.stats.openIssues).toBe(3);
  });

  it("start: the architect files tasks with definitions of done, linked to the issue, and GitHub hears of them", async () => {
    const issues = await as(owner).get(`/projects/${projectId}/issues?label=bug`);
    const issue = issues.body.items[0];
    expect(issue.number).toBe(bugIssue.number);
    fake.enqueue({
      text: [
        architectAnswer([
          {
            title: "Accept plus signs in login emails",
            description: "Normalise emails without dropping the plus part.",
            definitionOfDone: ["ada+test@example.com signs in", "Existing logins still work"],
            type: "bug",
            priority: "high",
          },
          {
            title: "Test plus-addressed login",
            description: "A regression test for the login form.",
            definitionOfDone: ["The test fails before the fix and passes after"],
            type: "testing",
          },
        ]),
      ],
      usage: { input: 900, output: 300 },
    });
    const started = await as(owner).post(`/projects/${projectId}/issues/${issue.id}/start`);
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      issueId: issue.id,
      status: "planning",
      architect: { id: expect.any(String) },
    });
    await server.deps.engine.replies.idle();

    const conversation = await as(viewer).get(`/conversations/${started.body.conversationId}`);
    expect(conversation.body).toMatchObject({ type: "issue" });
    const sent = fake.requests.filter((r) => r.path.endsWith("/messages")).at(-1)!;
    expect(JSON.stringify(sent.body.messages)).toContain("ada+test@example.com cannot sign in.");

    const tasks = await as(viewer).get(`/projects/${projectId}/issues/${issue.id}/tasks`);
    expect(tasks.status).toBe(200);
    expect(tasks.body.total).toBe(2);
    const byTitle = Object.fromEntries(tasks.body.items.map((t: { title: string }) => [t.title, t]));
    expect(byTitle["Accept plus signs in login emails"]).toMatchObject({
      issueId: issue.id,
      projectId,
      type: "bug",
      priority: "high",
      status: "backlog",
      definitionOfDone: "- ada+test@example.com signs in\n- Existing logins still work",
    });
    expect(byTitle["Test plus-addressed login"]).toMatchObject({ issueId: issue.id, type: "testing" });

    const [comment] = commentsOn(issue.number);
    expect(comment).toBeDefined();
    for (const task of tasks.body.items) expect(comment!.body.body).toContain(`/tasks/${task.id}`);
    expect(comment!.principal).toBe("acme");

    const listed = await as(viewer).get(`/projects/${projectId}/issues?label=bug`);
    expect(listed.body.items[0].taskCount).toBe(2);
    // The reply was metered like any other.
    const messages = await as(viewer).get(`/conversations/${started.body.conversationId}/messages?limit=50`);
    const reply = messages.body.items.find((m: { authorType: string }) => m.authorType === "agent");
    expect(reply).toMatchObject({ status: "complete", tokensIn: 900, tokensOut: 300 });
  });

  it("lists pull requests with checks; approve is refused with the reason while checks fail, and merges once they pass", async () => {
    const pull = github.issue(REPO, 4);
    github.addCheckRun(REPO, pull.pull!.headSha, {
      name: "unit tests",
      status: "completed",
      conclusion: "failure",
    });
    await as(owner).post(`/projects/${projectId}/issues/sync`);
    const tasks = (await as(owner).get(`/projects/${projectId}/tasks?type=bug`)).body.items;
    const task = tasks.find((t: { title: string }) => t.title === "Accept plus signs in login emails");

    const list = await as(viewer).get(`/projects/${projectId}/pull-requests`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    const pr = list.body.items[0];
    expect(pr).toMatchObject({
      number: 4,
      title: "Fix login",
      branch: { head: "fix/login", base: "main" },
      state: "open",
      checksStatus: "failure",
      mergeable: true,
      author: "acme",
      task: null,
    });

    await linkPullRequest(pr.id, task.id);
    await toReview(task.id);

    const refused = await as(owner).post(`/projects/${projectId}/pull-requests/${pr.id}/approve`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("CONFLICT");
    expect(refused.body.error.message).toContain("checks failed (unit tests)");
    expect(refused.body.error.details).toMatchObject({ reason: "checks_failed" });
    expect(github.issue(REPO, 4).pull!.merged).toBe(false);

    github.addCheckRun(REPO, pull.pull!.headSha, {
      name: "unit tests",
      status: "completed",
      conclusion: "success",
    });
    const approved = await as(owner).post(`/projects/${projectId}/pull-requests/${pr.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      pullRequest: { id: pr.id, state: "merged", checksStatus: "success", task: { id: task.id } },
      task: { id: task.id, status: "completed" },
      taskCompleted: true,
    });
    expect(github.issue(REPO, 4).pull!.merged).toBe(true);
    expect((await as(viewer).get(`/tasks/${task.id}`)).body.status).toBe("completed");
    const merged = await as(viewer).get(`/projects/${projectId}/pull-requests?state=merged`);
    expect(merged.body.items.map((p: { id: string }) => p.id)).toEqual([pr.id]);
  });

  it("reject comments the feedback on the pull request and records it for the authoring agent", async () => {
    const pull = github.addPull(REPO, { title: "Add login test", head: "test/login" });
    await as(owner).post(`/projects/${projectId}/issues/sync`);
    const task = (await as(owner).get(`/projects/${projectId}/tasks?type=testing`)).body.items[0];
    const pr = (await as(owner).get(`/projects/${projectId}/pull-requests`)).body.items.find(
      (p: { number: number }) => p.number === pull.number,
    );
    await linkPullRequest(pr.id, task.id);
    await toReview(task.id);

    const feedback = "The test must also cover uppercase plus-addressed emails.";
    const rejected = await as(owner).post(`/projects/${projectId}/pull-requests/${pr.id}/reject`, {
      feedback,
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      pullRequest: { id: pr.id, state: "open" },
      task: { id: task.id, status: "in_progress" },
      feedbackMessageId: expect.any(String),
    });
    const [comment] = commentsOn(pull.number);
    expect(comment!.body.body).toContain(feedback);
    expect(rejected.body.comment.htmlUrl).toEqual(expect.any(String));

    const timeline = await as(viewer).get(`/tasks/${task.id}/conversation`);
    const recorded = timeline.body.messages.find(
      (m: { id: string }) => m.id === rejected.body.feedbackMessageId,
    );
    expect(recorded).toMatchObject({ authorType: "user" });
    expect(recorded.content).toContain(feedback);
    expect((await as(viewer).get(`/tasks/${task.id}`)).body.status).toBe("in_progress");
  });

  it("a blocking budget refuses the start with 402 and leaves no conversation behind", async () => {
    const issue = (await as(owner).get(`/projects/${projectId}/issues?label=enhancement`)).body.items[0];
    const limit = await as(owner).post("/budget/limits", {
      name: "Nothing",
      scopeType: "project",
      scopeId: projectId,
      amountUsd: 0.000001,
      period: "daily",
      actionOnExceed: "block",
    });
    expect(limit.status).toBe(200);
    const before = (await as(owner).get(`/conversations?projectId=${projectId}&limit=100`)).body.total;
    const refused = await as(owner).post(`/projects/${projectId}/issues/${issue.id}/start`);
    expect(refused.status).toBe(402);
    expect(refused.body.error.code).toBe("BUDGET_EXCEEDED");
    expect((await as(owner).get(`/conversations?projectId=${projectId}&limit=100`)).body.total).toBe(before);
    await server.api("DELETE", `/budget/limits/${limit.body.id}`, { token: owner.access_token });
  });

  it("outsiders get 404 on every route; viewers read but get 403 on writes", async () => {
    const issue = (await as(owner).get(`/projects/${projectId}/issues`)).body.items[0];
    const pr = (await as(owner).get(`/projects/${projectId}/pull-requests?state=all`)).body.items[0];
    const reads = [
      `/projects/${projectId}/issues`,
      `/projects/${projectId}/issues/${issue.id}/tasks`,
      `/projects/${projectId}/pull-requests`,
    ];
    const writes: Array<[string, unknown]> = [
      [`/projects/${projectId}/issues/sync`, {}],
      [`/projects/${projectId}/issues/${issue.id}/start`, {}],
      [`/projects/${projectId}/pull-requests/${pr.id}/approve`, {}],
      [`/projects/${projectId}/pull-requests/${pr.id}/reject`, { feedback: "no" }],
    ];
    for (const path of reads) {
      expect((await as(outsider).get(path)).status, path).toBe(404);
      expect((await as(viewer).get(path)).status, path).toBe(200);
    }
    for (const [path, body] of writes) {
      expect((await as(outsider).post(path, body)).status, path).toBe(404);
      const res = await as(viewer).post(path, body);
      expect(res.status, path).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
    }
    // An issue of the project under another project's id is not found either.
    const other = await as(outsider).post("/projects", { name: "Elsewhere" });
    expect((await as(outsider).get(`/projects/${other.body.id}/issues/${issue.id}/tasks`)).status).toBe(404);
  });
});
