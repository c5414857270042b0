// Starting an issue and rejecting a pull request while the event bus's Redis is away (issue 19): each
// request is answered without waiting for Redis, and the messages it announced reach a subscriber once
// Redis is back, through the outbox. The real server with its real Octokit against the local GitHub fake,
// the Anthropic fake answering as the architect, and Debian's redis-server.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { redisServerAvailable, startRedisServer, type TestRedis } from "@crewdeck/engine/testing";
import { connectGitHub, createConnectUrl } from "@crewdeck/github";
import { type FakeGitHub, startFakeGitHub } from "@crewdeck/github/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubFakeEnv, registerUser, startTestServerWithModel, type TestServer } from "./harness";
import { openRawStream } from "./live-events";
import { changeWhileRedisAway } from "./redis-away";

const REPO = "acme/away";

describe.runIf(await redisServerAvailable())("issues and pull requests while Redis is away", () => {
  let redis: TestRedis;
  let github: FakeGitHub;
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let token: string;
  let projectId: string;

  const post = (path: string, body: unknown = {}) => server.api("POST", path, { token, body });
  const get = (path: string) => server.api("GET", path, { token });
  const stream = () =>
    openRawStream(server.url, { authorization: `Bearer ${token}` }, `?projectId=${projectId}&types=message`);

  beforeAll(async () => {
    redis = await startRedisServer();
    github = await startFakeGitHub();
    ({ server, fake, stop } = await startTestServerWithModel({
      ...githubFakeEnv(github),
      EVENT_BUS_URL: redis.url,
    }));
    const owner = await registerUser(server);
    token = owner.access_token;
    github.addUser("acme");
    github.addRepo(REPO);
    github.addIssue(REPO, { title: "Checkout times out", body: "Paying takes a minute.", labels: ["bug"] });
    github.addPull(REPO, { title: "Faster checkout", head: "fix/checkout" });
    const { state } = await createConnectUrl(server.deps.github, {
      userId: owner.user.id,
      redirectUri: "http://x/cb",
    });
    await connectGitHub(server.deps.github, {
      userId: owner.user.id,
      state,
      code: github.createCode("acme"),
    });
    const project = await post("/projects", {
      name: "Away",
      repositories: [{ name: "away", full_name: REPO }],
    });
    expect(project.status).toBe(200);
    projectId = project.body.id;
    expect((await post(`/projects/${projectId}/issues/sync`)).status).toBe(200);
  }, 30_000);

  afterAll(async () => {
    await stop?.();
    await github?.close();
    await redis?.stop();
  });

  it("starts an issue while Redis is away: answered first, its opening message delivered once Redis is back", async () => {
    const issue = (await get(`/projects/${projectId}/issues`)).body.items[0];
    const live = await stream();
    expect(live.res.status).toBe(200);
    // The architect's answer files no task: only the opening message and the reply matter here.
    fake.enqueue({ text: ["Nothing to file."], usage: { input: 10, output: 3 } });
    const away = await changeWhileRedisAway(redis, () =>
      post(`/projects/${projectId}/issues/${issue.id}/start`),
    );
    redis = away.redis;
    expect(away.result.status).toBe(200);
    expect(away.answeredFirst).toBe(true);
    const opening = await get(`/conversations/${away.result.body.conversationId}/messages?limit=50`);
    const request = opening.body.items.find((m: { id: string }) => m.id === away.result.body.messageId);
    expect(request.content).toContain("Checkout times out");
    // Nothing lost: the opening message reaches the stream through the outbox once Redis is back.
    await live.until(request.content);
    await server.deps.engine.replies.idle();
    await live.close();
  }, 30_000);

  it("rejects a pull request while Redis is away: answered first, the feedback delivered once Redis is back", async () => {
    const task = await post(`/projects/${projectId}/tasks`, { title: "Speed up checkout" });
    expect(task.status).toBe(200);
    const pr = (await get(`/projects/${projectId}/pull-requests`)).body.items[0];
    await server.deps.db.$client.execute({
      sql: "update pull_requests set task_id = ? where id = ?",
      args: [task.body.id, pr.id],
    });
    const live = await stream();
    expect(live.res.status).toBe(200);
    const feedback = "Cache the totals instead of summing every line.";
    const away = await changeWhileRedisAway(redis, () =>
      post(`/projects/${projectId}/pull-requests/${pr.id}/reject`, { feedback }),
    );
    redis = away.redis;
    expect(away.result.status).toBe(200);
    expect(away.answeredFirst).toBe(true);
    expect(away.result.body.feedbackMessageId).toEqual(expect.any(String));
    const timeline = await get(`/tasks/${task.body.id}/conversation`);
    const recorded = timeline.body.messages.find(
      (m: { id: string }) => m.id === away.result.body.feedbackMessageId,
    );
    expect(recorded.content).toContain(feedback);
    // Nothing lost: the feedback message reaches the stream through the outbox once Redis is back.
    await live.until(recorded.content);
    await live.close();
  }, 30_000);
});
