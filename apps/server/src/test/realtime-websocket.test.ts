// Seed 002's plain WebSocket client against the real server (the `ws` library, as a Node client would
// connect): frames `{ event, data }` with the seed's names and fields, credits as what is left of the
// person's daily spend cap after a real (fake-provider) reply, resuming with `?lastEventId=`, the cookie
// a browser would send, 100 messages a minute, and the socket closed when its token is revoked.

import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  createCrewConversation,
  registerUser,
  signOutEverywhere,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
} from "./harness";
import { eventually, publishProbe } from "./live-events";

type Frame = { event: string; data: Record<string, unknown>; id?: string };

describe("the plain WebSocket at /ws (seed 002)", () => {
  let server: TestServer;
  let fake: FakeAnthropic;
  let stop: () => Promise<void>;
  let owner: TestUser;
  const open: WebSocket[] = [];

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({
      RATE_LIMIT_REGISTER_MAX: "1000",
      EVENT_STREAM_RECHECK_MS: "300",
      DEFAULT_DAILY_SPEND_CAP_USD: "5",
    }));
    owner = await registerUser(server);
  });
  afterEach(() => {
    for (const ws of open.splice(0)) ws.terminate();
  });
  afterAll(() => stop());

  const wsUrl = (query = "") => `${server.url.replace(/^http/, "ws")}/ws${query}`;
  const publish = (event: Parameters<TestServer["deps"]["engine"]["bus"]["publish"]>[0]) =>
    server.deps.engine.bus.publish(event);

  /** An open socket and every frame it receives, in order. */
  async function connect(query = "", headers: Record<string, string> = {}) {
    const ws = new WebSocket(wsUrl(query), { headers });
    open.push(ws);
    const frames: Frame[] = [];
    ws.on("message", (data) => frames.push(JSON.parse(String(data))));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once("close", (code, reason) => resolve({ code, reason: String(reason) })),
    );
    await new Promise<void>((resolve, reject) => {
      ws.once("open", resolve);
      ws.once("error", reject);
    });
    return { ws, frames, closed };
  }

  /** The HTTP answer to a refused handshake. */
  function refused(query = "", headers: Record<string, string> = {}) {
    const ws = new WebSocket(wsUrl(query), { headers });
    ws.on("error", () => {});
    open.push(ws);
    return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      ws.once("open", () => reject(new Error("the handshake was accepted")));
      ws.once("unexpected-response", (_req, res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
    });
  }

  it("refuses a handshake without a valid credential with the contract's 401", async () => {
    for (const query of ["", "?token=not-a-token"]) {
      const { status, body } = await refused(query);
      expect(status).toBe(401);
      expect(body).toMatchObject({ error: { code: "UNAUTHORIZED", message: expect.any(String) } });
    }
  });

  it("sends task:status_updated and task:completed in the seed's shape, only for tasks the person may see", async () => {
    const { projectId } = await createCrewConversation(server, owner.access_token, ["architect"]);
    const task = await server.api("POST", "/tasks", {
      token: owner.access_token,
      body: { title: "Fix authentication bug", projectId },
    });
    const outsider = await registerUser(server);
    const mine = await connect(`?token=${owner.access_token}`);
    const theirs = await connect("", { authorization: `Bearer ${outsider.access_token}` });
    const scope = { projectId, taskId: task.body.id };
    await publish({
      type: "task_progress",
      scope,
      payload: {
        taskId: task.body.id,
        status: "in_progress",
        progress: { completed: 9, total: 20, percentage: 45 },
        message: "Working",
      },
    });
    const completed = await publish({
      type: "task_completed",
      scope,
      payload: {
        taskId: task.body.id,
        status: "completed",
        usage: { totalTokens: 1000, totalCostUsd: 0.23 },
        result: { type: "pull_request", pullRequestUrl: "https://github.com/acme/app/pull/7" },
      },
    });
    await eventually(() => expect(mine.frames).toHaveLength(2));
    expect(mine.frames).toEqual([
      {
        event: "task:status_updated",
        data: { taskId: task.body.id, status: "running", progress: 45 },
        id: expect.any(String),
      },
      {
        event: "task:completed",
        data: {
          taskId: task.body.id,
          status: "completed",
          creditsUsed: 0.23,
          result: { type: "pull_request", pullRequestUrl: "https://github.com/acme/app/pull/7" },
        },
        id: completed.id,
      },
    ]);
    // A probe the outsider may see, published after: the task's frames would have come first.
    await publishProbe(server, outsider.user.id, "probe", "probe");
    await eventually(() => expect(theirs.frames).toHaveLength(1));
    expect(theirs.frames[0]?.data.taskId).toBe("probe");
  });

  it("sends credits:updated with what is left of the daily spend cap after a real reply costs money", async () => {
    const { conversation } = await createCrewConversation(server, owner.access_token, ["product-manager"]);
    const { frames } = await connect(`?token=${owner.access_token}`);
    fake.enqueue({ text: ["Noted."], usage: { input: 1000, output: 8000 } });
    const posted = await server.api("POST", `/conversations/${conversation.id}/messages`, {
      token: owner.access_token,
      body: { content: "Plan it" },
    });
    expect(posted.status).toBe(200);
    await server.deps.engine.replies.idle();
    const [credits] = await eventually(() => {
      const found = frames.filter((f) => f.event === "credits:updated");
      expect(found).toHaveLength(1);
      return found;
    });
    const record = await server.deps.db.query.usageRecords.findFirst({
      where: (r, { eq }) => eq(r.conversationId, conversation.id),
    });
    expect(record).toBeDefined();
    expect(credits?.data).toMatchObject({ userId: owner.user.id });
    const { credits: left, change } = credits!.data as { credits: number; change: number };
    expect(change).toBeLessThan(0);
    expect(left).toBeCloseTo(5 + change, 6);
  });

  it("keeps credits, the person's spend across every project, from a key limited to one project", async () => {
    const person = await registerUser(server);
    const { conversation, projectId } = await createCrewConversation(server, person.access_token, [
      "product-manager",
    ]);
    const key = await server.api("POST", "/api-keys", {
      token: person.access_token,
      body: { name: "project", projectId },
    });
    expect(key.status).toBe(200);
    const account = await connect(`?token=${person.access_token}`);
    const project = await connect("", { "x-api-key": key.body.key });
    fake.enqueue({ text: ["Noted."], usage: { input: 1000, output: 8000 } });
    const posted = await server.api("POST", `/conversations/${conversation.id}/messages`, {
      token: person.access_token,
      body: { content: "Plan it" },
    });
    expect(posted.status).toBe(200);
    await server.deps.engine.replies.idle();
    await eventually(() =>
      expect(account.frames.filter((f) => f.event === "credits:updated")).toHaveLength(1),
    );
    // The key's socket is open and fed (it is the same feed), but carries no figure of the account.
    expect(project.ws.readyState).toBe(WebSocket.OPEN);
    expect(project.frames.filter((f) => f.event === "credits:updated")).toEqual([]);
  });

  it("resumes after the last frame's id with ?lastEventId=", async () => {
    const user = await registerUser(server);
    const probe = (taskId: string) => publishProbe(server, user.user.id, taskId);
    const first = await connect(`?token=${user.access_token}`);
    await probe("one");
    await eventually(() => expect(first.frames).toHaveLength(1));
    first.ws.close();
    await first.closed;
    await probe("two");
    await probe("three");
    const again = await connect(`?token=${user.access_token}&lastEventId=${first.frames[0]?.id}`);
    await eventually(() => expect(again.frames.map((f) => f.data.taskId)).toEqual(["two", "three"]));
    const bad = await refused(`?token=${user.access_token}&lastEventId=nonsense`);
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_ERROR" } } });
  });

  it("accepts the session cookie from our own pages (not another site's), and an API key in ?token=", async () => {
    const user = await registerUser(server);
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const key = await server.api("POST", "/api-keys", {
      token: user.access_token,
      body: { name: "ws", scopes: ["read"] },
    });
    expect(key.status).toBe(200);
    // From another site's page (the browser would send the cookie all the same): refused.
    const crossSite = await refused("", { cookie, origin: "https://evil.example" });
    expect(crossSite).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    const byCookie = await connect("", { cookie, origin: server.deps.settings.trustedOrigins[0]! });
    const byKey = await connect(`?token=${key.body.key}`);
    await publishProbe(server, user.user.id, "t");
    await eventually(() => expect(byCookie.frames).toHaveLength(1));
    await eventually(() => expect(byKey.frames).toHaveLength(1));
  });

  it("allows 100 messages a minute per connection and answers the next with RATE_LIMIT_EXCEEDED", async () => {
    const { ws, frames } = await connect(`?token=${owner.access_token}`);
    for (let i = 0; i < 100; i++) ws.send("{}");
    await new Promise((r) => setTimeout(r, 200));
    expect(frames.filter((f) => f.event === "error")).toEqual([]);
    ws.send("{}");
    await eventually(() => expect(frames.filter((f) => f.event === "error")).toHaveLength(1));
    expect(frames.find((f) => f.event === "error")?.data).toMatchObject({
      code: "RATE_LIMIT_EXCEEDED",
      details: { limit: 100 },
    });
  });

  it("closes the socket with an error frame once its token is revoked", async () => {
    const user = await registerUser(server);
    const { frames, closed } = await connect(`?token=${user.access_token}`);
    await signOutEverywhere(server, user);
    expect(await closed).toEqual({ code: 1008, reason: "UNAUTHORIZED" });
    expect(frames.at(-1)).toMatchObject({
      event: "error",
      data: { code: "UNAUTHORIZED", message: expect.any(String) },
    });
    expect((await refused(`?token=${user.access_token}`)).status).toBe(401);
  });
});
