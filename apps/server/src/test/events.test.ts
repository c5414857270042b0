// Live events (§4) over real HTTP: the raw SSE route and the tRPC subscription (through @trpc/client and
// the `eventsource` package), with filters, access, visibility, resume after a dropped connection, and
// subscriptions freed when clients go away.
import net from "node:net";
import { type AppRouter, notifyUser } from "@crewdeck/api";
import { type AnyBusEvent, type DatabaseEventBus, publishNotification } from "@crewdeck/engine";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";
import {
  contents,
  eventually,
  openRawStream,
  type SubscribeInput,
  sleep,
  subscribeEvents,
} from "./live-events";

/** Ids are opaque: a client can only tell them apart, never order them (the order is the stream's). */
const allDistinct = (events: AnyBusEvent[]) => new Set(events.map((e) => e.id)).size === events.length;

/** A TCP proxy in front of the server, so a test can cut every connection through it. */
async function startProxy(targetPort: number) {
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropAll: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

describe("live events", () => {
  let server: TestServer;
  let admin: TestUser;
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let projectId: string;
  let otherProjectId: string;
  let taskId: string;
  /** In the project: plain, and about the task. */
  let plainConversation: string;
  let taskConversation: string;
  let otherProjectConversation: string;
  /** The outsider's own unassigned conversation. */
  let outsiderConversation: string;

  const bus = () => server.deps.engine.bus as DatabaseEventBus;
  const call = async (user: TestUser, method: string, path: string, body?: unknown) => {
    const res = await server.api(method, path, { token: user.access_token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const post = (user: TestUser, conversationId: string, content: string) =>
    call(user, "POST", `/conversations/${conversationId}/messages`, { content });
  const newConversation = async (user: TestUser, title: string, extra: Record<string, unknown> = {}) =>
    (await call(user, "POST", "/conversations", { title, ...extra })).id as string;

  const bearer = (user: TestUser | null): Record<string, string> =>
    user ? { authorization: `Bearer ${user.access_token}` } : {};
  /** The raw stream, read in the background. */
  const openStream = (user: TestUser | null, query = "", headers: Record<string, string> = {}) =>
    openRawStream(server.url, { ...bearer(user), ...headers }, query);
  /** A tRPC subscription, read in the background; `started` resolves once the server has it. */
  const subscribe = (user: TestUser | null, input: SubscribeInput, baseUrl = server.url) =>
    subscribeEvents(baseUrl, bearer(user), input);

  beforeAll(async () => {
    server = await startTestServer({
      RATE_LIMIT_REGISTER_MAX: "1000",
      RATE_LIMIT_LOGIN_MAX: "1000",
      RATE_LIMIT_GENERAL_PER_MINUTE: "100000",
    });
    admin = await registerUser(server); // the first account is the site admin
    owner = await registerUser(server);
    member = await registerUser(server);
    outsider = await registerUser(server);
    const project = await call(owner, "POST", "/projects", { name: "Launch" });
    projectId = project.id;
    otherProjectId = (await call(owner, "POST", "/projects", { name: "Elsewhere" })).id;
    await addMember(server, owner.access_token, projectId, member, "viewer");
    taskId = (await call(owner, "POST", "/tasks", { title: "Ship it", projectId })).id;
    plainConversation = await newConversation(owner, "Plans", { projectId });
    taskConversation = await newConversation(owner, "About the task", { projectId, taskId });
    otherProjectConversation = await newConversation(owner, "Elsewhere", { projectId: otherProjectId });
    outsiderConversation = await newConversation(outsider, "My notes");
    expect(admin.user.role).toBe("admin");
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("delivers a posted message as a `message` event on the raw stream and on the tRPC subscription", async () => {
    const raw = await openStream(member, `?conversationId=${plainConversation}`);
    expect(raw.res.status).toBe(200);
    expect(raw.res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const sub = subscribe(member, { conversationId: plainConversation });
    await sub.started;

    // The event carries the stored message; the post's answer adds who will answer it (`answering`).
    const { answering: _, ...message } = await post(owner, plainConversation, "hello, crew");

    const [rawEvent] = await raw.until("hello, crew");
    const [trpcEvent] = await sub.until("hello, crew");
    for (const event of [rawEvent, trpcEvent]) {
      expect(event).toEqual({
        id: expect.stringMatching(/^\d+$/),
        type: "message",
        scope: { userId: null, projectId, conversationId: plainConversation, taskId: null },
        payload: message,
        createdAt: expect.any(String),
      });
    }
    expect(trpcEvent?.id).toBe(rawEvent?.id);
    // On the wire: a comment as the stream opens, then `id`, `event` and `data` lines.
    expect(raw.frames[0]).toEqual({ comment: "connected" });
    expect(raw.frames[1]).toMatchObject({ id: rawEvent?.id, event: "message" });
    expect(sub.received[0]?.id).toBe(rawEvent?.id);
    expect(sub.errors).toEqual([]);
    sub.unsubscribe();
    await raw.close();
  });

  it("filters by conversation, task, project and type", async () => {
    const byConversation = await openStream(owner, `?conversationId=${plainConversation}`);
    const byTask = await openStream(owner, `?taskId=${taskId}`);
    const byProject = await openStream(owner, `?projectId=${projectId}&conversationId=`);
    const byType = await openStream(owner, "?types=agent_typing");
    const byTaskTrpc = subscribe(owner, { taskId, types: ["message"] });
    await byTaskTrpc.started;

    await post(owner, taskConversation, "x");
    await post(owner, plainConversation, "a");
    await call(member, "POST", `/conversations/${plainConversation}/typing`, { isTyping: true });
    await post(owner, otherProjectConversation, "elsewhere");
    await post(owner, taskConversation, "y");
    await post(owner, plainConversation, "end of plain");
    await post(owner, taskConversation, "end of task");

    expect(contents(await byConversation.until("end of plain"))).toEqual(["a", "end of plain"]);
    expect(contents(await byTask.until("end of task"))).toEqual(["x", "y", "end of task"]);
    expect(contents(await byTaskTrpc.until("end of task"))).toEqual(["x", "y", "end of task"]);
    expect(contents(await byProject.until("end of task"))).toEqual([
      "x",
      "a",
      "y",
      "end of plain",
      "end of task",
    ]);
    expect(byConversation.events().map((e) => e.type)).toEqual(["message", "agent_typing", "message"]);
    expect(byTaskTrpc.events().every((e) => e.type === "message")).toBe(true);
    const typing = byType.events();
    expect(typing.map((e) => e.type)).toEqual(["agent_typing"]);
    for (const stream of [byConversation, byTask, byProject, byType]) await stream.close();
    byTaskTrpc.unsubscribe();
  });

  it("shows an outsider none of another project's events, and a system notice to admins only", async () => {
    const outsiderRaw = await openStream(outsider);
    const outsiderTrpc = subscribe(outsider, {});
    const adminRaw = await openStream(admin);
    const memberRaw = await openStream(member);
    await outsiderTrpc.started;

    // A burst in the project: messages, typing, a notification for the owner, an engine event.
    await Promise.all(Array.from({ length: 10 }, (_, i) => post(owner, plainConversation, `secret ${i}`)));
    await call(owner, "POST", `/conversations/${taskConversation}/typing`, { isTyping: true });
    await notifyUser(
      server.deps.db,
      { userId: owner.user.id, type: "task_completed", title: "Done", message: "Secret task finished" },
      { onCreated: publishNotification(server.deps.engine.bus) },
    );
    await bus().publish({
      type: "agent_status",
      scope: { projectId },
      payload: { agentId: "a1", status: "working", timestamp: new Date().toISOString() },
    });
    // A notice for the whole site: no user, no project.
    const notice = await bus().publish({
      type: "emergency_pause",
      scope: {},
      payload: { triggeredBy: "system", reason: "maintenance", timestamp: new Date().toISOString() },
    });
    // The outsider's own event closes the window.
    await post(outsider, outsiderConversation, "sentinel");

    expect((await outsiderRaw.until("sentinel")).map((e) => e.type)).toEqual(["message"]);
    expect(contents(await outsiderTrpc.until("sentinel"))).toEqual(["sentinel"]);
    expect(outsiderTrpc.events()).toHaveLength(1);
    await eventually(() => expect(adminRaw.events().map((e) => e.id)).toContain(notice.id));
    expect(adminRaw.events()).toEqual([notice]);
    // The member sees the project's events but not the owner's notification or the site notice.
    await post(owner, plainConversation, "member sentinel");
    const seen = await memberRaw.until("member sentinel");
    expect(seen.map((e) => e.type)).not.toContain("notification");
    expect(seen.map((e) => e.type)).not.toContain("emergency_pause");
    expect(seen.map((e) => e.type)).toContain("agent_status");
    expect(contents(seen)).toHaveLength(11);

    // Replaying the whole log for the outsider leaks nothing either.
    const replay = await openStream(outsider, "?lastEventId=0");
    const replayed = await replay.until("sentinel");
    expect(replayed.every((e) => e.scope.userId === outsider.user.id)).toBe(true);
    for (const stream of [outsiderRaw, adminRaw, memberRaw, replay]) await stream.close();
    outsiderTrpc.unsubscribe();
  });

  it("delivers a notification published with publishNotification to its recipient", async () => {
    const stream = await openStream(member, "?types=notification");
    const created = await notifyUser(
      server.deps.db,
      {
        userId: member.user.id,
        type: "budget_alert",
        severity: "warning",
        title: "80%",
        message: "Spend at $8",
      },
      { onCreated: publishNotification(server.deps.engine.bus) },
    );
    const [event] = await eventually(() => {
      const events = stream.events();
      if (events.length === 0) throw new Error("no notification yet");
      return events;
    });
    expect(event).toMatchObject({
      type: "notification",
      scope: { userId: member.user.id },
      payload: created,
    });
    await stream.close();
  });

  it("answers 404 for filters on what the caller may not see, 400 for bad input, 401 without auth", async () => {
    const errorOf = async (user: TestUser | null, query: string, headers: Record<string, string> = {}) => {
      const stream = await openStream(user, query, headers);
      const body = (await stream.res.json()) as { error: { code: string; details?: { field: string }[] } };
      return {
        status: stream.res.status,
        code: body.error.code,
        fields: body.error.details?.map((d) => d.field),
      };
    };
    for (const query of [
      `?conversationId=${plainConversation}`,
      `?projectId=${projectId}`,
      `?taskId=${taskId}`,
      "?conversationId=no-such-conversation",
    ]) {
      expect(await errorOf(outsider, query), query).toMatchObject({
        status: 404,
        code: "RESOURCE_NOT_FOUND",
      });
    }
    expect(await errorOf(member, `?conversationId=${outsiderConversation}`)).toMatchObject({ status: 404 });
    expect(await errorOf(outsider, "?types=message,bogus")).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      fields: ["types.1"],
    });
    expect(await errorOf(outsider, "?lastEventId=abc")).toMatchObject({
      status: 400,
      fields: ["lastEventId"],
    });
    expect(await errorOf(outsider, "", { "last-event-id": "12; drop" })).toMatchObject({
      status: 400,
      fields: ["lastEventId"],
    });
    expect(await errorOf(null, "")).toMatchObject({ status: 401, code: "UNAUTHORIZED" });

    const refused = async (user: TestUser | null, input: SubscribeInput) => {
      const sub = subscribe(user, input);
      const [error] = await eventually(() => {
        if (sub.errors.length === 0) throw new Error("no error yet");
        return sub.errors;
      });
      sub.unsubscribe();
      expect(error).toBeInstanceOf(TRPCClientError);
      return (error as TRPCClientError<AppRouter>).data;
    };
    expect(await refused(outsider, { conversationId: plainConversation })).toMatchObject({
      httpStatus: 404,
      error: { code: "RESOURCE_NOT_FOUND" },
    });
    expect(await refused(outsider, { projectId })).toMatchObject({ httpStatus: 404 });
    expect(await refused(null, {})).toMatchObject({ httpStatus: 401, error: { code: "UNAUTHORIZED" } });
  });

  it("starts showing a project's events to someone added, and stops for someone removed", async () => {
    const newcomer = await registerUser(server);
    const ownConversation = await newConversation(newcomer, "Mine");
    const stream = await openStream(newcomer);

    await post(owner, plainConversation, "before joining");
    await post(newcomer, ownConversation, "sentinel 1");
    expect(contents(await stream.until("sentinel 1"))).toEqual(["sentinel 1"]);

    await addMember(server, owner.access_token, projectId, newcomer, "viewer");
    await sleep(2_200); // the membership cache's lifetime
    await post(owner, plainConversation, "welcome");
    await stream.until("welcome");

    await call(owner, "DELETE", `/projects/${projectId}/members/${newcomer.user.id}`);
    await sleep(2_200);
    await post(owner, plainConversation, "after leaving");
    await post(newcomer, ownConversation, "sentinel 2");
    expect(contents(await stream.until("sentinel 2"))).toEqual(["sentinel 1", "welcome", "sentinel 2"]);
    await stream.close();
  });

  it("publishes a person's typing as agent_typing to those who may read the conversation", async () => {
    const stream = await openStream(owner, `?conversationId=${plainConversation}&types=agent_typing`);
    const res = await server.api("POST", `/conversations/${plainConversation}/typing`, {
      token: member.access_token,
      body: { isTyping: true },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true });
    const [event] = await eventually(() => {
      const events = stream.events();
      if (events.length === 0) throw new Error("no typing event yet");
      return events;
    });
    expect(event).toMatchObject({
      type: "agent_typing",
      scope: { projectId, conversationId: plainConversation },
      payload: { conversationId: plainConversation, agentId: null, userId: member.user.id, isTyping: true },
    });

    const typing = (user: TestUser, body: unknown) =>
      server.api("POST", `/conversations/${plainConversation}/typing`, { token: user.access_token, body });
    expect((await typing(outsider, { isTyping: true })).status).toBe(404);
    const bad = await typing(member, { isTyping: "yes" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(["isTyping"]);
    expect((await typing(member, {})).status).toBe(400);
    await sleep(50);
    expect(stream.events()).toHaveLength(1);
    await stream.close();
  });

  it("resumes the raw stream after a dropped connection: every event exactly once, in order", async () => {
    const conversationId = await newConversation(owner, "Resume (raw)", { projectId });
    const first = await openStream(member, `?conversationId=${conversationId}`);
    await post(owner, conversationId, "m0");
    await post(owner, conversationId, "m1");
    await first.until("m1");

    // Posts keep coming while the connection drops, and after.
    const during = (async () => {
      for (let i = 2; i < 8; i++) await post(owner, conversationId, `m${i}`);
    })();
    await first.until("m2");
    await first.close();
    await during;
    await post(owner, conversationId, "m8");
    await post(owner, conversationId, "m9");

    const seen = first.events();
    const lastId = seen.at(-1)?.id ?? "";
    const second = await openStream(member, `?conversationId=${conversationId}`, { "Last-Event-ID": lastId });
    await second.until("m9");
    await post(owner, conversationId, "m10");
    const resumed = await second.until("m10");

    const all = [...seen, ...resumed];
    expect(contents(all)).toEqual(Array.from({ length: 11 }, (_, i) => `m${i}`));
    expect(allDistinct(all)).toBe(true);

    // `?lastEventId=` works the same for clients that cannot set headers.
    const m5 = all.find((e) => e.type === "message" && e.payload.content === "m5");
    const third = await openStream(member, `?conversationId=${conversationId}&lastEventId=${m5?.id}`);
    expect(contents(await third.until("m10"))).toEqual(["m6", "m7", "m8", "m9", "m10"]);
    await second.close();
    await third.close();
  });

  it("sends every streamed chunk live at once, stores a reply's chunks in a row or two, and resumes mid-reply with the rest once", async () => {
    const conversationId = await newConversation(owner, "Streaming", { projectId });
    const messageId = (await post(owner, conversationId, "Go on")).id as string;
    const scope = { projectId, conversationId };
    const deltasOf = (events: AnyBusEvent[]) =>
      events.flatMap((e) => (e.type === "message_delta" ? [e.payload.delta] : []));
    // As a provider streams: each chunk handed over without waiting for the one before.
    const stream = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        bus()
          .publish({ type: "message_delta", scope, payload: { messageId, conversationId, delta: `c${i} ` } })
          .catch(() => {});
      }
    };
    const chunks = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `c${from + i} `);

    const first = await openStream(member, `?conversationId=${conversationId}&types=message_delta`);
    const watcher = await openStream(member, `?conversationId=${conversationId}&types=message_delta`);
    stream(0, 10);
    await eventually(() => expect(deltasOf(first.events())).toEqual(chunks(0, 10)));
    const seen = first.events();
    await first.close();
    stream(10, 40);
    // A client that stayed got each chunk as its own event.
    await eventually(() => expect(deltasOf(watcher.events())).toEqual(chunks(0, 40)));

    // Forty chunks, a handful of rows (one per message per short window), not forty.
    const stored = async () =>
      (await server.deps.db.query.events.findMany({
        where: (e, { and, eq }) => and(eq(e.conversationId, conversationId), eq(e.type, "message_delta")),
      })) ?? [];
    const storedText = async () =>
      (await stored()).map((r) => (r.payload as { delta: string }).delta).join("");
    for (let tries = 0; tries < 100 && (await storedText()) !== chunks(0, 40).join(""); tries++)
      await sleep(20);
    expect(await storedText()).toBe(chunks(0, 40).join(""));
    expect((await stored()).length).toBeLessThanOrEqual(4);

    // Resuming from the last chunk seen gives the rest of the text, each chunk once.
    const lastSeen = seen.at(-1)?.id ?? "";
    const second = await openStream(member, `?conversationId=${conversationId}&types=message_delta`, {
      "Last-Event-ID": lastSeen,
    });
    await eventually(() => expect(deltasOf(second.events()).join("")).toBe(chunks(10, 40).join("")));
    // From the middle of a stored row too.
    const fifth = seen[4]?.id ?? "";
    const third = await openStream(member, `?conversationId=${conversationId}&types=message_delta`, {
      "Last-Event-ID": fifth,
    });
    await eventually(() => expect(deltasOf(third.events()).join("")).toBe(chunks(5, 40).join("")));
    await sleep(100);
    expect(deltasOf(second.events()).join("")).toBe(chunks(10, 40).join(""));
    expect(allDistinct([...seen, ...second.events()])).toBe(true);
    await second.close();
    await third.close();
    await watcher.close();
  });

  it("resumes a tRPC subscription after its connection drops: every event exactly once, in order", async () => {
    const conversationId = await newConversation(owner, "Resume (tRPC)", { projectId });
    const proxy = await startProxy(server.port);
    try {
      const sub = subscribe(member, { conversationId }, proxy.url);
      await sub.started;
      await post(owner, conversationId, "n0");
      await post(owner, conversationId, "n1");
      await sub.until("n1");

      const during = (async () => {
        for (let i = 2; i < 6; i++) await post(owner, conversationId, `n${i}`);
      })();
      await sub.until("n2");
      proxy.dropAll();
      await during;
      await post(owner, conversationId, "n6");
      // EventSource reconnects by itself (after its retry delay) and sends Last-Event-ID.
      await sub.until("n6");
      await post(owner, conversationId, "n7");
      const all = await sub.until("n7");
      expect(contents(all)).toEqual(Array.from({ length: 8 }, (_, i) => `n${i}`));
      expect(allDistinct(all)).toBe(true);
      expect(sub.received.map((r) => r.id)).toEqual(all.map((e) => e.id));
      sub.unsubscribe();

      // A new subscription given `lastEventId` replays from there.
      const n3 = all.find((e) => e.type === "message" && e.payload.content === "n3");
      const again = subscribe(member, { conversationId, lastEventId: n3?.id });
      expect(contents(await again.until("n7"))).toEqual(["n4", "n5", "n6", "n7"]);
      again.unsubscribe();
    } finally {
      await proxy.close();
    }
  }, 30_000);

  it("describes the raw stream in the OpenAPI document", async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { tags: string[]; parameters: { name: string }[] } & object>>;
    };
    const stream = document.paths["/events"]?.get;
    expect(stream).toMatchObject({ "x-crewdeck-raw": true, tags: ["events"] });
    expect(stream?.parameters.map((p) => p.name)).toEqual([
      "conversationId",
      "projectId",
      "taskId",
      "types",
      "lastEventId",
      "Last-Event-ID",
    ]);
    expect(document.paths["/conversations/{conversationId}/typing"]?.post).toBeDefined();
  });

  it("frees the subscription when a client goes away", async () => {
    // Every stream of the earlier tests is closed by now.
    await eventually(() => expect(bus().stats().subscribers).toBe(0), 5_000);
    const before = 0;
    const raw = await Promise.all([openStream(member), openStream(owner, `?projectId=${projectId}`)]);
    const sub = subscribe(member, { projectId });
    await sub.started;
    expect(bus().stats().subscribers).toBe(before + 3);

    await raw[0]?.close();
    await eventually(() => expect(bus().stats().subscribers).toBe(before + 2), 5_000);
    sub.unsubscribe();
    await eventually(() => expect(bus().stats().subscribers).toBe(before + 1), 5_000);
    await raw[1]?.close();
    await eventually(() => expect(bus().stats().subscribers).toBe(before), 5_000);
    // Nothing is left buffered for streams that are gone.
    await post(owner, plainConversation, "nobody listening");
    expect(bus().stats().bufferedEvents).toBe(0);
  });
});
