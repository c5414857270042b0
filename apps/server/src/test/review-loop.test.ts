// The review loop end to end (issue "Agents that code", part 5): a rejection through the API or a GitHub review
// that requests changes starts a revision run on the same branch and pull request; approving merges and
// completes the task; a merged or closed pull request and a deleted task take the workspace with them.
import { existsSync } from "node:fs";
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeWorld, editGreeting, FULL_NAME, GREET, REVIEW_ANSWERS, startCodeWorld } from "./code-world";
import { deliver, SECRET } from "./github-deliveries";
import { addMember, registerUser } from "./harness";
import { until } from "./live-events";

describe("the review loop", () => {
  let world: CodeWorld;
  /** The task whose pull request the first tests reject, review and approve. */
  let taskId = "";

  beforeAll(async () => {
    world = await startCodeWorld({ GITHUB_WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await world?.stop();
  });

  const api = (method: string, path: string, body?: unknown) =>
    world.server.api(method, path, { token: world.owner.access_token, body });
  const idle = () => world.server.deps.engine.steps.idle();

  /** A task whose coding run opened a pull request (the greeting says Hi). */
  async function taskWithPullRequest(title: string) {
    const task = await world.newTask(title);
    world.fake.enqueue(editGreeting("Hello, ", "Hi, "), ...REVIEW_ANSWERS);
    expect((await world.start(task.id)).status).toBe(200);
    await idle();
    const [pull] = await world.pullsOf(task.id);
    expect(pull?.state).toBe("open");
    expect(existsSync(world.workspaceDir(task.id))).toBe(true);
    return { task, pull: pull! };
  }

  const feedbackMessages = async (id: string) => {
    const task = await world.server.deps.db.query.tasks.findFirst({ where: eq(schema.tasks.id, id) });
    const messages = await world.server.deps.db.query.messages.findMany({
      where: eq(schema.messages.conversationId, task!.conversationId!),
    });
    return messages.filter((m) => String(m.metadata.kind ?? "").endsWith("review_feedback"));
  };

  const settled = (deliveryId: string) =>
    until(`delivery ${deliveryId} processed`, async () => {
      const row = await world.server.deps.db.query.webhookDeliveries.findFirst({
        where: eq(schema.webhookDeliveries.deliveryId, deliveryId),
      });
      return row && row.status !== "received" ? row : undefined;
    });

  /** GitHub's copy of the task's pull request, as a webhook payload carries it. */
  const pullPayload = (
    pull: typeof schema.pullRequests.$inferSelect,
    change: Record<string, unknown> = {},
  ) => {
    const onGitHub = world.github.issue(FULL_NAME, pull.number);
    return {
      id: pull.githubId,
      number: pull.number,
      title: onGitHub.title,
      body: onGitHub.body,
      state: "open",
      merged: false,
      html_url: pull.htmlUrl,
      user: { login: "octo" },
      head: { ref: pull.headBranch, sha: onGitHub.pull!.headSha },
      base: { ref: pull.baseBranch },
      created_at: onGitHub.createdAt,
      updated_at: new Date().toISOString(),
      ...change,
    };
  };
  const repository = () => ({ id: world.github.repo(FULL_NAME).id, full_name: FULL_NAME });

  it("a rejection revises the same branch and pull request with the feedback; another while it runs is refused and posts nothing", async () => {
    const { task, pull } = await taskWithPullRequest("Friendlier greeting");
    taskId = task.id;
    const gate = world.fake.hold();
    world.fake.enqueue(editGreeting("Hi, ", "Hey, "), ...REVIEW_ANSWERS);
    const before = world.fake.requests.length;

    const rejected = await api("POST", `/projects/${world.projectId}/pull-requests/${pull.id}/reject`, {
      feedback: "Say Hey, not Hi",
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      revisionRun: { id: expect.any(String) },
      revisionNotStarted: null,
      task: { id: task.id, status: "in_progress" },
      feedbackMessageId: expect.any(String),
    });
    expect(world.github.issue(FULL_NAME, pull.number).comments.at(-1)?.body).toContain("Say Hey, not Hi");

    // While the revision's first model call is under way, a second rejection is refused before it posts.
    await gate.reached;
    const comments = world.github.issue(FULL_NAME, pull.number).comments.length;
    const recorded = (await feedbackMessages(task.id)).length;
    const busy = await api("POST", `/projects/${world.projectId}/pull-requests/${pull.id}/reject`, {
      feedback: "And rename it",
    });
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe("AGENT_BUSY");
    expect(world.github.issue(FULL_NAME, pull.number).comments).toHaveLength(comments);
    expect(await feedbackMessages(task.id)).toHaveLength(recorded);
    gate.release();
    await idle();

    const run = (await world.runsOf(task.id)).find((r) => r.id === rejected.body.revisionRun.id);
    expect(run?.status).toBe("completed");
    expect(run?.pipeline).toEqual([world.agents["senior-developer"], world.agents["qa-engineer"]]);
    // The developer is told the feedback, that the pull request exists, and where new commits go.
    const prompt = JSON.stringify(world.fake.requests[before]!.body.messages);
    expect(prompt).toContain("Say Hey, not Hi");
    expect(prompt).toContain(`#${pull.number}`);
    expect(prompt).toContain(pull.headBranch);
    expect(world.git("rev-list", "--count", `main..${pull.headBranch}`).trim()).toBe("2");
    expect(world.git("show", `${pull.headBranch}:src/greet.js`)).toBe(GREET.replace("Hello, ", "Hey, "));
    expect((await world.pullsOf(task.id)).map((p) => p.number)).toEqual([pull.number]);
    expect((await api("GET", `/tasks/${task.id}`)).body.status).toBe("review");
  });

  it("changes requested in a GitHub review start a revision run with the review's body, once per review", async () => {
    const [pull] = await world.pullsOf(taskId);
    const runsBefore = (await world.runsOf(taskId)).length;
    world.fake.enqueue(editGreeting("Hey, ", "Hey there, "), ...REVIEW_ANSWERS);
    const before = world.fake.requests.length;
    const payload = {
      action: "submitted",
      review: {
        id: 90_001,
        state: "changes_requested",
        body: "Greet with 'Hey there'",
        user: { login: "reviewer" },
        html_url: `${pull!.htmlUrl}#pullrequestreview-90001`,
      },
      pull_request: pullPayload(pull!),
      repository: repository(),
    };
    const first = await deliver(world.server.url, "pull_request_review", payload);
    expect(first.status).toBe(202);
    expect((await settled(first.deliveryId)).status).toBe("processed");
    await idle();

    const runs = await world.runsOf(taskId);
    expect(runs).toHaveLength(runsBefore + 1);
    const revision = runs.at(-1)!;
    expect(revision.status).toBe("completed");
    expect(revision.instructions).toContain("Greet with 'Hey there'");
    expect(JSON.stringify(world.fake.requests[before]!.body.messages)).toContain("Greet with 'Hey there'");
    expect(world.git("show", `${pull!.headBranch}:src/greet.js`)).toBe(
      GREET.replace("Hello, ", "Hey there, "),
    );
    const [message] = (await feedbackMessages(taskId)).filter((m) => m.metadata.githubReviewId === 90_001);
    expect(message?.metadata.revision).toEqual({ status: "started", runId: revision.id });

    // The same review again (another delivery of it) is recorded once and starts nothing.
    const again = await deliver(world.server.url, "pull_request_review", payload);
    expect((await settled(again.deliveryId)).status).toBe("processed");
    await idle();
    expect(await world.runsOf(taskId)).toHaveLength(runsBefore + 1);
    expect((await feedbackMessages(taskId)).filter((m) => m.metadata.githubReviewId === 90_001)).toHaveLength(
      1,
    );
  });

  it("approving merges on GitHub, completes the task and removes its workspace", async () => {
    const [pull] = await world.pullsOf(taskId);
    expect(existsSync(world.workspaceDir(taskId))).toBe(true);
    const approved = await api("POST", `/projects/${world.projectId}/pull-requests/${pull!.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      pullRequest: { state: "merged" },
      task: { id: taskId, status: "completed" },
      taskCompleted: true,
    });
    expect(world.github.issue(FULL_NAME, pull!.number).pull!.merged).toBe(true);
    expect(existsSync(world.workspaceDir(taskId))).toBe(false);
  });

  it("a pull request closed on GitHub frees its task's workspace", async () => {
    const { task, pull } = await taskWithPullRequest("Closed on GitHub");
    const closedAt = new Date().toISOString();
    const closed = await deliver(world.server.url, "pull_request", {
      action: "closed",
      number: pull.number,
      pull_request: pullPayload(pull, { state: "closed", closed_at: closedAt, updated_at: closedAt }),
      repository: repository(),
    });
    expect((await settled(closed.deliveryId)).status).toBe("processed");
    expect((await world.pullsOf(task.id))[0]?.state).toBe("closed");
    expect(existsSync(world.workspaceDir(task.id))).toBe(false);
  });

  it("a rejected pull request that no agent opened is commented on, and no run starts", async () => {
    const { task, pull } = await taskWithPullRequest("Unlinked later");
    await world.server.deps.db
      .update(schema.pullRequests)
      .set({ taskId: null })
      .where(eq(schema.pullRequests.id, pull.id));
    const runs = (await world.runsOf(task.id)).length;
    const rejected = await api("POST", `/projects/${world.projectId}/pull-requests/${pull.id}/reject`, {
      feedback: "Not like this",
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      revisionRun: null,
      revisionNotStarted: { code: "NOT_AGENT_PULL_REQUEST" },
    });
    expect(world.github.issue(FULL_NAME, pull.number).comments.at(-1)?.body).toContain("Not like this");
    expect(await world.runsOf(task.id)).toHaveLength(runs);
  });

  it("deleting a task removes its workspace", async () => {
    const task = await world.newTask("Deleted midway");
    world.fake.enqueue(...REVIEW_ANSWERS);
    expect((await world.start(task.id)).status).toBe(200);
    await idle();
    expect(existsSync(world.workspaceDir(task.id))).toBe(true);
    const deleted = await api("DELETE", `/tasks/${task.id}`);
    expect(deleted.status).toBeLessThan(300);
    expect(existsSync(world.workspaceDir(task.id))).toBe(false);
  });

  it("the project's maintainers hear of pull requests opened, approved and rejected, not whoever acted", async () => {
    const maintainer = await registerUser(world.server);
    await addMember(world.server, world.owner.access_token, world.projectId, maintainer, "maintainer");
    const types = async (token: string) =>
      (await world.server.api("GET", "/notifications?limit=100", { token })).body.items.map(
        (n: { type: string }) => n.type,
      ) as string[];
    const count = (list: string[], type: string) => list.filter((t) => t === type).length;
    const ownerBefore = await types(world.owner.access_token);

    const opened = await taskWithPullRequest("Noticed by the team");
    const heard = await types(maintainer.access_token);
    expect(count(heard, "pull_request_opened")).toBe(1);
    // The owner started the run: the run's end tells them, not a second notice.
    const ownerNow = await types(world.owner.access_token);
    expect(count(ownerNow, "pull_request_opened")).toBe(count(ownerBefore, "pull_request_opened"));
    expect(count(ownerNow, "run_completed")).toBe(count(ownerBefore, "run_completed") + 1);

    expect(
      (await api("POST", `/projects/${world.projectId}/pull-requests/${opened.pull.id}/approve`)).status,
    ).toBe(200);
    const { pull } = await taskWithPullRequest("Sent back by the owner");
    await world.server.deps.db
      .update(schema.pullRequests)
      .set({ taskId: null })
      .where(eq(schema.pullRequests.id, pull.id));
    const rejected = await api("POST", `/projects/${world.projectId}/pull-requests/${pull.id}/reject`, {
      feedback: "Smaller, please",
    });
    expect(rejected.status).toBe(200);
    const after = await types(maintainer.access_token);
    expect(count(after, "pull_request_approved")).toBe(1);
    expect(count(after, "pull_request_rejected")).toBe(1);
    const ownerAfter = await types(world.owner.access_token);
    expect(count(ownerAfter, "pull_request_approved") + count(ownerAfter, "pull_request_rejected")).toBe(0);
  });
});
