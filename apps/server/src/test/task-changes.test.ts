// A task's code, as its page shows it: every run kept in its history (a cancelled re-run hides no earlier
// result), and the changes of its branch read from GitHub's compare API against the fake, exactly what was
// pushed; outsiders see neither, and a failing GitHub is a 502 in words.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import type { FakeGitHub } from "@crewdeck/github/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeWorld, editGreeting, REVIEW_ANSWERS, startCodeWorld } from "./code-world";
import { addMember, registerUser, type TestServer } from "./harness";

describe("a task's runs and changes", () => {
  let world: CodeWorld;
  let github: FakeGitHub;
  let fake: FakeAnthropic;
  let server: TestServer;
  let ownerToken: string;
  let taskId = "";
  let firstRunId = "";
  let pullRequestUrl = "";

  beforeAll(async () => {
    world = await startCodeWorld();
    ({ github, fake, server } = world);
    ownerToken = world.owner.access_token;

    // One coding run that changes the greeting and opens the pull request.
    const task = await world.newTask("Friendlier greeting");
    taskId = task.id;
    fake.enqueue(editGreeting("Hello, ", "Hi, "), ...REVIEW_ANSWERS);
    expect((await world.start(task.id)).status).toBe(200);
    await server.deps.engine.steps.idle();
    const run = await server.deps.db.query.runs.findFirst({ where: (r, { eq }) => eq(r.taskId, task.id) });
    expect(run?.status).toBe("completed");
    firstRunId = run!.id;
    pullRequestUrl = (run!.result as { pullRequestUrl: string }).pullRequestUrl;
    expect(pullRequestUrl).toContain("/pull/");
  });
  afterAll(async () => {
    await world.stop();
  });

  const get = (path: string, token = ownerToken) => server.api("GET", path, { token });

  it("shows the branch's changes against its base, exactly the pushed edit", async () => {
    const res = await get(`/tasks/${taskId}/diff`);
    expect(res.status).toBe(200);
    expect(res.body.repositories).toHaveLength(1);
    const [repo] = res.body.repositories;
    expect(repo).toMatchObject({
      repository: { fullName: "octo/shop" },
      pullRequest: { state: "open", htmlUrl: pullRequestUrl },
      base: "main",
      aheadBy: 1,
      truncated: false,
      totals: { files: 1, additions: 1, deletions: 1 },
    });
    expect(repo.head).toMatch(/^crewdeck\/[a-z0-9]{8}-friendlier-greeting$/);
    expect(repo.files).toEqual([
      {
        path: "src/greet.js",
        status: "modified",
        additions: 1,
        deletions: 1,
        patch: [
          "@@ -1 +1 @@",
          '-export const greet = (name) => "Hello, " + name + "!";',
          '+export const greet = (name) => "Hi, " + name + "!";',
        ].join("\n"),
      },
    ]);
    // The task names its pull request with what the card needs.
    const detail = await get(`/tasks/${taskId}`);
    expect(detail.body.pullRequest).toMatchObject({
      state: "open",
      htmlUrl: pullRequestUrl,
      headBranch: repo.head,
    });
    expect(detail.body.pullRequest).toHaveProperty("checksStatus");
    expect(detail.body.pullRequest).toHaveProperty("mergeable");
  });

  it("keeps every run, newest first, and a cancelled re-run hides no earlier result", async () => {
    const gate = fake.hold();
    expect((await world.start(taskId)).status).toBe(200);
    await gate.reached;
    const cancelled = await server.api("POST", `/tasks/${taskId}/cancel`, { token: ownerToken });
    expect(cancelled.status).toBe(200);
    await server.deps.engine.steps.idle();
    gate.release();
    await server.deps.engine.steps.idle();

    const res = await get(`/tasks/${taskId}/runs`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { status: string }) => r.status)).toEqual(["cancelled", "completed"]);
    const [rerun, first] = res.body.items;
    expect(rerun).toMatchObject({ result: null, isRevision: false, startedBy: { id: world.owner.user.id } });
    expect(first).toMatchObject({
      id: firstRunId,
      isRevision: false,
      totalSteps: 2,
      completedSteps: 2,
      result: { type: "pull_request", pullRequestUrl },
      startedBy: { id: world.owner.user.id, name: expect.any(String) },
    });
    expect(first.totals.totalTokens).toBeGreaterThan(0);
    expect(first.startedAt).toBeTruthy();
    expect(first.completedAt).toBeTruthy();

    // The task still shows the earlier run's pull request as its result.
    const detail = await get(`/tasks/${taskId}`);
    expect(detail.body.status).toBe("cancelled");
    expect(detail.body.result).toMatchObject({ type: "pull_request", pullRequestUrl });
    expect(detail.body.pullRequest).toMatchObject({ htmlUrl: pullRequestUrl });
  });

  it("marks a revision run in the history, and the diff shows the revised branch", async () => {
    const pull = (await world.pullsOf(taskId))[0]!;
    fake.enqueue(editGreeting("Hi, ", "Hey, "), ...REVIEW_ANSWERS);
    const rejected = await server.api(
      "POST",
      `/projects/${world.projectId}/pull-requests/${pull.id}/reject`,
      {
        token: ownerToken,
        body: { feedback: "Say Hey, not Hi" },
      },
    );
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    await server.deps.engine.steps.idle();

    const runs = (await get(`/tasks/${taskId}/runs`)).body.items;
    expect(runs.map((r: { status: string; isRevision: boolean }) => [r.status, r.isRevision])).toEqual([
      ["completed", true],
      ["cancelled", false],
      ["completed", false],
    ]);
    const diff = (await get(`/tasks/${taskId}/diff`)).body.repositories[0];
    expect(diff.aheadBy).toBe(2);
    expect(diff.files).toHaveLength(1);
    expect(diff.files[0].patch).toContain('+export const greet = (name) => "Hey, " + name + "!";');
  });

  it("has an empty history and no changes before the first run", async () => {
    const task = await world.newTask("Not started");
    expect((await get(`/tasks/${task.id}/runs`)).body).toEqual({ taskId: task.id, items: [] });
    expect((await get(`/tasks/${task.id}/diff`)).body).toEqual({ taskId: task.id, repositories: [] });
  });

  it("answers 502 GITHUB_API_ERROR when GitHub fails", async () => {
    // A 5xx is retried by the client; GitHub refusing the comparison is not.
    github.failNext(422, "No common ancestor between main and the branch", (r) =>
      r.path.includes("/compare/"),
    );
    const res = await get(`/tasks/${taskId}/diff`);
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("GITHUB_API_ERROR");
    expect(res.body.error.message).toContain("No common ancestor");
  });

  it("hides both from outsiders (404) and lets viewers read them", async () => {
    const outsider = await registerUser(server);
    for (const path of [`/tasks/${taskId}/runs`, `/tasks/${taskId}/diff`]) {
      const res = await get(path, outsider.access_token);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
    }
    const viewer = await registerUser(server);
    const added = await addMember(server, ownerToken, world.projectId, viewer, "viewer");
    expect(added.status, JSON.stringify(added.body)).toBeLessThan(300);
    expect((await get(`/tasks/${taskId}/runs`, viewer.access_token)).status).toBe(200);
    // The viewer never connected GitHub: the run's starter's access reads the diff.
    const diff = await get(`/tasks/${taskId}/diff`, viewer.access_token);
    expect(diff.status, JSON.stringify(diff.body)).toBe(200);
    expect(diff.body.repositories[0].files).toHaveLength(1);
  });
});
