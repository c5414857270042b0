// Two server processes on one libSQL file and one Redis (issue 19): a subscriber on one server sees, in
// order and exactly once, the events caused through the other, and resumes on the other after a
// disconnect with no loss and no repeat; a Socket.IO client moved to the other server resumes its session
// there; a login limit holds across both; health reports the shared parts.
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase } from "@crewdeck/db";
import type { AnyBusEvent } from "@crewdeck/engine";
import {
  type FakeAnthropic,
  redisServerAvailable,
  startFakeAnthropic,
  startRedisServer,
  type TestRedis,
} from "@crewdeck/engine/testing";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  architectConversation,
  type Child,
  killed,
  newcomerWithProject,
  startChild,
} from "./child-server";
import { deliver, example, linkRepository, SECRET } from "./github-deliveries";
import { contents, eventually, openRawStream, until } from "./live-events";
import { changeWhileRedisAway } from "./redis-away";

/**
 * A load balancer in front of the servers, as far as a client can tell: it forwards each connection to
 * the server it points at. `hold` stops what the server sends on the way (the network stalls: the server
 * still writes, the client gets nothing); `moveTo` cuts every connection and sends the next ones elsewhere.
 */
async function startBalancer(target: string) {
  let to = new URL(target);
  let holding = false;
  let held = "";
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to.port), to.hostname);
    for (const end of [client, upstream]) {
      open.add(end);
      end.on("error", () => {});
      end.on("close", () => {
        open.delete(end);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => {
      if (holding) held += chunk.toString("latin1");
      else client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    hold: () => {
      holding = true;
    },
    /** What the server sent while held (and the client never got). */
    held: () => held,
    moveTo: (next: string) => {
      to = new URL(next);
      holding = false;
      for (const socket of open) socket.destroy();
    },
    close: () => {
      for (const socket of open) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.runIf(await redisServerAvailable())("two servers on one Redis", () => {
  let redis: TestRedis;
  let dataDir: string;
  let one: Child;
  let two: Child;
  let token: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-scale-"));
    const env = {
      DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      SIGNUP_MODE: "open",
      WEB_DIST_DIR: path.join(dataDir, "no-web-build"),
      RATE_LIMIT_LOGIN_MAX: "4",
      MAX_EVENT_STREAMS_PER_USER: "3",
      RATE_LIMIT_LOGIN_BACKOFF_FREE_FAILURES: "100",
      GITHUB_SYNC_INTERVAL_MINUTES: "0",
      GITHUB_WEBHOOK_SECRET: SECRET,
    };
    // One after the other: the first migrates the database and writes the shared secret.
    one = await startChild(env);
    two = await startChild(env);
    const registered = await api(one, "POST", "/auth/register", undefined, {
      email: "scale@example.test",
      username: "scale",
      password: "correct horse battery",
    });
    expect(registered.status).toBe(200);
    token = registered.body.access_token;
  }, 60_000);

  afterAll(async () => {
    for (const child of [one, two]) if (child) await killed(child);
    await redis?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const auth = () => ({ authorization: `Bearer ${token}` });
  const post = async (child: Child, conversationId: string, content: string) => {
    const res = await api(child, "POST", `/conversations/${conversationId}/messages`, token, { content });
    expect(res.status).toBeLessThan(300);
  };

  it("reports the event bus and Redis up on both servers", async () => {
    for (const child of [one, two]) {
      const health = await (await fetch(`${child.url}/health`)).json();
      expect(health).toMatchObject({
        status: "ok",
        services: { eventBus: "up", redis: "up", database: "up" },
      });
    }
  });

  it("delivers on server 1, in order and once, what happened through server 2, and resumes on server 2", async () => {
    const created = await api(two, "POST", "/conversations", token, { title: "Across servers" });
    expect(created.status).toBeLessThan(300);
    const conversationId = created.body.id as string;

    const first = await openRawStream(one.url, auth(), `?conversationId=${conversationId}&types=message`);
    expect(first.res.status).toBe(200);
    for (let i = 0; i < 5; i++) await post(two, conversationId, `m${i}`);
    await first.until("m4");

    // The connection drops while posts go on, through both servers.
    const during = (async () => {
      for (let i = 5; i < 12; i++) await post(i % 2 ? one : two, conversationId, `m${i}`);
    })();
    await first.until("m5");
    await first.close();
    await during;
    const seen = first.events();
    const lastId = seen.at(-1)?.id as string;

    const second = await openRawStream(
      two.url,
      { ...auth(), "last-event-id": lastId },
      `?conversationId=${conversationId}&types=message`,
    );
    expect(second.res.status).toBe(200);
    await second.until("m11");
    await post(one, conversationId, "m12");
    const resumed = await second.until("m12");

    const all: AnyBusEvent[] = [...seen, ...resumed];
    expect(contents(all)).toEqual(Array.from({ length: 13 }, (_, i) => `m${i}`));
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    await second.close();
  }, 30_000);

  it("refuses a resume id whose events are no longer kept, in the contract's shape", async () => {
    const res = await fetch(`${two.url}/api/v1/events`, {
      headers: { ...auth(), "last-event-id": "99999999999999-0" },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { requestId?: string } };
    expect(body.error).toMatchObject({ code: "VALIDATION_ERROR", details: [{ field: "lastEventId" }] });
    expect(body.error.requestId).toBeTruthy();
  });

  it("holds the per-person quota of open event streams across both servers", async () => {
    const open = (child: Child) => openRawStream(child.url, auth(), "?types=notification");
    // The streams of the earlier tests are let go of as their servers notice the clients gone.
    const streams = await until("three streams admitted", async () => {
      const opened = [await open(one), await open(two), await open(one)];
      if (opened.every((s) => s.res.status === 200)) return opened;
      for (const s of opened) await s.close();
      return undefined;
    });
    const fourth = await open(two);
    expect(fourth.res.status).toBe(429);
    expect(((await fourth.res.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMIT_EXCEEDED");
    // One closed on server 1 frees a slot on server 2.
    await streams[0]?.close();
    const again = await until("a slot freed", async () => {
      const next = await open(two);
      return next.res.status === 200 ? next : undefined;
    });
    for (const s of [...streams.slice(1), again]) await s.close();
  }, 30_000);

  it("resumes a Socket.IO client moved to the other server: what it missed arrives once, in order, recovered", async () => {
    const created = await api(two, "POST", "/conversations", token, { title: "Socket.IO across servers" });
    const conversationId = created.body.id as string;
    const balancer = await startBalancer(one.url);
    const socket = io(balancer.url, {
      auth: { token },
      transports: ["websocket"],
      reconnectionDelay: 300,
      reconnectionDelayMax: 300,
    });
    try {
      const messages: string[] = [];
      socket.on("message", (message: { content: string }) => messages.push(message.content));
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      expect(await socket.emitWithAck("join_conversation", { conversation_id: conversationId })).toEqual({
        ok: true,
      });
      // On server 1, what is posted through server 2 arrives.
      for (const content of ["s0", "s1"]) await post(two, conversationId, content);
      await eventually(() => expect(messages).toEqual(["s0", "s1"]));

      // The network stalls: server 1 emits the next two, and they never arrive.
      balancer.hold();
      for (const content of ["s2", "s3"]) await post(two, conversationId, content);
      await until("server 1 to have emitted s3", async () =>
        balancer.held().includes('"s3"') ? true : undefined,
      );
      expect(messages).toEqual(["s0", "s1"]);

      // The balancer sends the client to server 2; server 1 sees the connection drop and keeps its session.
      const dropped = new Promise((resolve) => socket.once("disconnect", resolve));
      balancer.moveTo(two.url);
      expect(await dropped).toBe("transport close");
      // Posted while the client is away, through both servers.
      await post(one, conversationId, "s4");
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      expect(socket.recovered).toBe(true);
      // Still in the conversation, on server 2: what is posted through server 1 arrives.
      await post(one, conversationId, "s5");
      await eventually(() => expect(messages).toHaveLength(6));
      expect(messages).toEqual(["s0", "s1", "s2", "s3", "s4", "s5"]);
    } finally {
      socket.disconnect();
      await balancer.close();
    }
  }, 30_000);

  it("holds a login limit across both servers", async () => {
    const attempt = (child: Child) =>
      api(child, "POST", "/auth/login", undefined, { username: "scale", password: "wrong password" });
    const statuses: number[] = [];
    // Alternating servers: each alone would have counted half of them.
    for (let i = 0; i < 5; i++) statuses.push((await attempt(i % 2 ? two : one)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect((await attempt(two)).status).toBe(429);
  }, 30_000);

  it("delivers a webhook's events on the other server, and one made while Redis is away once it is back", async () => {
    const project = await api(one, "POST", "/projects", token, { name: "Hooked across servers" });
    const projectId = project.body.id as string;
    const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
    const stream = await openRawStream(one.url, auth(), `?projectId=${projectId}&types=github_update`);
    try {
      await linkRepository(db, projectId);
      expect(stream.res.status).toBe(200);
      const announced = () =>
        stream.events().flatMap((e) => (e.type === "github_update" ? [e.payload.number] : []));
      // Received by server 2, announced on server 1.
      const first = example("issues", "opened");
      expect((await deliver(two.url, "issues", first)).status).toBe(202);
      await eventually(() => expect(announced()).toEqual([first.issue.number]), 20_000);

      // Redis goes away; a delivery is processed meanwhile, its event kept in the outbox.
      await redis.stop();
      const second = example("issues", "opened");
      second.issue.id += 1;
      second.issue.number += 1000;
      const sent = await deliver(two.url, "issues", second);
      expect(sent.status).toBe(202);
      const staged = await until("the delivery processed, its event staged", async () => {
        const delivery = await db.query.webhookDeliveries.findFirst({
          where: (d, { eq }) => eq(d.deliveryId, sent.deliveryId),
        });
        if (delivery?.status !== "processed") return undefined;
        const rows = await db.query.eventOutbox.findMany({
          where: (o, { eq }) => eq(o.type, "github_update"),
        });
        return rows.find((o) => (o.payload as { number: number }).number === second.issue.number);
      });
      expect(staged.projectId).toBe(projectId);

      // Redis is back (empty): the outbox relays it, and the subscriber on server 1 gets it, once.
      redis = await startRedisServer({ port: redis.port });
      await eventually(() => expect(announced()).toEqual([first.issue.number, second.issue.number]), 20_000);
    } finally {
      await stream.close();
      db.$client.close();
      // Its crew would otherwise be paused with the rest by the emergency stop below.
      expect((await api(two, "DELETE", `/projects/${projectId}`, token)).status).toBeLessThan(300);
    }
  }, 60_000);

  // Last: it stops the shared Redis.
  it("keeps answering without Redis, and says so on /health", async () => {
    const created = await api(one, "POST", "/conversations", token, { title: "Redis going away" });
    await redis.stop();
    for (const child of [one, two]) {
      const res = await fetch(`${child.url}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: "degraded",
        services: { database: "up", eventBus: "down", redis: "down" },
      });
    }
    // Limits are counted in each process meanwhile: a sign-in gets its answer, not a hang or a 500.
    const login = await api(two, "POST", "/auth/login", undefined, {
      username: "scale",
      password: "wrong password",
    });
    expect(login.status).toBe(401);
    // A post is stored and answered; its event waits in the outbox for the stream to come back.
    const started = Date.now();
    const posted = await api(one, "POST", `/conversations/${created.body.id}/messages`, token, {
      content: "while Redis is away",
    });
    expect(posted.status).toBeLessThan(300);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  // After the one above, which stopped Redis (stopped here too, when run alone).
  it("pulls and lifts the emergency stop while Redis is away, its events kept in the outbox with the change", async () => {
    const project = await api(one, "POST", "/projects", token, { name: "Stopped without Redis" });
    expect(project.status).toBeLessThan(300);
    const projectId = project.body.id as string;
    await redis.stop();
    const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
    try {
      const crew = await db.query.agents.findMany({ where: (a, { eq }) => eq(a.projectId, projectId) });
      expect(crew.length).toBeGreaterThan(0);
      const staged = async () =>
        (await db.query.eventOutbox.findMany({ where: (o, { eq }) => eq(o.projectId, projectId) })).map(
          (o) => [o.type, (o.payload as { status?: string }).status ?? null],
        );
      const before = (await staged()).length;

      const paused = await api(two, "POST", "/emergency/pause-all", token, { reason: "Runaway costs" });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ pausedAgents: crew.length });
      const afterPause = (await staged()).slice(before);
      expect(afterPause).toEqual([["emergency_pause", null], ...crew.map(() => ["agent_status", "paused"])]);

      const resumed = await api(one, "POST", "/emergency/resume-all", token, {});
      expect(resumed.status).toBe(200);
      expect((await staged()).slice(before + afterPause.length)).toEqual([
        ["emergency_resume", null],
        ...crew.map(() => ["agent_status", "idle"]),
      ]);
    } finally {
      db.$client.close();
    }
  }, 30_000);
});

describe.runIf(await redisServerAvailable())("one server whose event bus on Redis goes away", () => {
  let redis: TestRedis;
  let fake: FakeAnthropic;
  let dataDir: string;
  let server: Child;

  beforeAll(async () => {
    redis = await startRedisServer();
    fake = await startFakeAnthropic({ apiKey: "sk-ant-away" });
    dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-bus-away-"));
    // Only the events on Redis: steps and replies run in this process, so they go on without it.
    server = await startChild({
      DATA_DIR: dataDir,
      EVENT_BUS_URL: redis.url,
      ANTHROPIC_API_KEY: "sk-ant-away",
      ANTHROPIC_BASE_URL: fake.url,
      AGENT_SANDBOX: "none",
      GITHUB_SYNC_INTERVAL_MINUTES: "0",
      SIGNUP_MODE: "open",
    });
  }, 60_000);

  afterAll(async () => {
    if (server) await killed(server);
    await fake?.close();
    await redis?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("answers a post and a typing indicator at once while Redis is away, without waiting for the bus to come back", async () => {
    const reg = await api(server, "POST", "/auth/register", undefined, {
      email: "prompt@example.test",
      username: "prompt",
      password: "correct horse battery",
    });
    const token = reg.body.access_token as string;
    const conversation = await api(server, "POST", "/conversations", token, { title: "Answered at once" });
    const stream = await openRawStream(
      server.url,
      { authorization: `Bearer ${token}` },
      `?conversationId=${conversation.body.id}&types=message`,
    );
    // A typing indicator, which nobody could be told of meanwhile, is dropped rather than waiting.
    const away = await changeWhileRedisAway(redis, () =>
      Promise.all([
        api(server, "POST", `/conversations/${conversation.body.id}/messages`, token, {
          content: "while the bus is away",
        }),
        api(server, "POST", `/conversations/${conversation.body.id}/typing`, token, { isTyping: true }),
      ]),
    );
    redis = away.redis;
    const [posted, typing] = away.result;
    expect(posted.status).toBe(200);
    expect(typing.status).toBe(200);
    expect(away.answeredFirst).toBe(true);
    // Nothing lost: the event reaches the stream once the bus is back.
    await stream.until("while the bus is away");
    await stream.close();
  }, 30_000);

  it("creates a conversation no agent may answer while Redis is away: answered first, its error delivered once Redis is back", async () => {
    const { token, projectId, architect } = await newcomerWithProject(server, "blocked", "Blocked");
    const limit = await api(server, "POST", "/budget/limits", token, {
      name: "Nothing",
      scopeType: "project",
      scopeId: projectId,
      amountUsd: 0.000001,
      period: "daily",
      actionOnExceed: "block",
    });
    expect(limit.status).toBe(200);
    const stream = await openRawStream(
      server.url,
      { authorization: `Bearer ${token}` },
      `?projectId=${projectId}&types=error`,
    );
    // The conversation and its first message are stored; that nobody may answer is told as an `error`.
    const away = await changeWhileRedisAway(redis, () =>
      api(server, "POST", "/conversations", token, {
        title: "Over budget",
        projectId,
        agentIds: [architect.id],
        initialMessage: "Anyone there?",
      }),
    );
    redis = away.redis;
    expect(away.result.status).toBeLessThan(300);
    expect(away.answeredFirst).toBe(true);
    await eventually(
      () =>
        expect(stream.events().map((e) => (e.type === "error" ? e.payload.code : e.type))).toEqual([
          "BUDGET_EXCEEDED",
        ]),
      20_000,
    );
    await stream.close();
  }, 30_000);

  it("answers a chat message and pauses an agent while Redis is away, each state kept in the outbox with its change", async () => {
    const { token, projectId, architect } = await newcomerWithProject(server, "away", "Bus away");
    const conversationId = await architectConversation(
      server,
      token,
      projectId,
      architect.id,
      "Asked while Redis is away",
    );
    await redis.stop();

    fake.enqueue({ text: ["Use ", "a queue"], usage: { input: 9, output: 2 } });
    const posted = await api(server, "POST", `/conversations/${conversationId}/messages`, token, {
      content: "How do we scale?",
    });
    expect(posted.status).toBe(200);
    const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
    try {
      const reply = await until(
        "the reply to be stored",
        async () => {
          const row = await db.query.messages.findFirst({
            where: (m, { and, eq }) => and(eq(m.conversationId, conversationId), eq(m.authorType, "agent")),
          });
          return row?.status === "complete" ? row : undefined;
        },
        30_000,
      );
      expect(reply.content).toBe("Use a queue");
      // Every state the reply went through waits in the outbox, in order, for the stream to come back:
      // the reply started, its agent at work, the reply complete, its agent idle again.
      const staged = await until("the agent to be idle again", async () => {
        const rows = await db.query.eventOutbox.findMany({ orderBy: (o, { asc }) => asc(o.id) });
        const states = rows.flatMap((o) => {
          const payload = o.payload as { id?: string; status?: string; agentId?: string };
          if (o.type === "message" && payload.id === reply.id) return [`message ${payload.status}`];
          if (o.type === "agent_status" && payload.agentId === architect.id)
            return [`agent ${payload.status}`];
          return [];
        });
        return states.at(-1) === "agent idle" ? states : undefined;
      });
      expect(staged).toEqual(["message streaming", "agent working", "message complete", "agent idle"]);

      // A person pausing and resuming the agent is answered too, each status staged with its change.
      const agentPath = `/projects/${projectId}/agents/${architect.id}`;
      expect((await api(server, "POST", `${agentPath}/pause`, token, {})).status).toBe(200);
      expect((await api(server, "POST", `${agentPath}/resume`, token, {})).status).toBe(200);
      const statuses = await db.query.eventOutbox.findMany({
        where: (o, { eq }) => eq(o.type, "agent_status"),
        orderBy: (o, { asc }) => asc(o.id),
      });
      expect(statuses.slice(-2).map((o) => (o.payload as { status: string }).status)).toEqual([
        "paused",
        "idle",
      ]);
    } finally {
      db.$client.close();
    }
  }, 60_000);
  it("tells of a reply the provider refused while Redis is away, its error staged after the reply's last state", async () => {
    const { token, projectId, architect } = await newcomerWithProject(server, "refused", "Refused");
    const conversationId = await architectConversation(
      server,
      token,
      projectId,
      architect.id,
      "Refused while Redis is away",
    );
    await redis.stop();

    fake.enqueue({ error: { status: 400, message: "prompt is too long" } });
    const posted = await api(server, "POST", `/conversations/${conversationId}/messages`, token, {
      content: "Summarise everything",
    });
    expect(posted.status).toBe(200);
    const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
    try {
      // The error no longer waits for the bus: it is staged after the reply's own states, in order.
      const staged = await until("the error to be staged", async () => {
        const rows = await db.query.eventOutbox.findMany({
          where: (o, { eq }) => eq(o.conversationId, conversationId),
          orderBy: (o, { asc }) => asc(o.id),
        });
        const states = rows.flatMap((o) => {
          const payload = o.payload as { authorType?: string; status?: string; code?: string };
          if (o.type === "message" && payload.authorType === "agent") return [`message ${payload.status}`];
          if (o.type === "error") return [`error ${payload.code}`];
          return [];
        });
        return states.at(-1)?.startsWith("error") ? states : undefined;
      });
      expect(staged).toEqual(["message streaming", "message error", "error MODEL_PROVIDER_ERROR"]);
    } finally {
      db.$client.close();
    }
  }, 60_000);
});
