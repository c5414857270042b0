// The seeds' Socket.IO clients against the real server, with the real socket.io-client: seed 001's
// protocol at /socket.io (conversations joined by id, `send_message` through the REST service, every
// server event in the seed's snake_case shape), seed 004's rooms at /api/socket.io, rooms refused to
// outsiders, 100 messages a minute per connection, and the connection cut when its credential dies.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createCrewConversation,
  registerUser,
  signOutEverywhere,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
} from "./harness";
import { eventually, publishProbe } from "./live-events";

type Received = { name: string; data: unknown }[];

describe("Socket.IO for the seeds' clients", () => {
  let server: TestServer;
  let fake: FakeAnthropic;
  let stop: () => Promise<void>;
  let owner: TestUser;
  let outsider: TestUser;
  const open: Socket[] = [];

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({
      RATE_LIMIT_REGISTER_MAX: "1000",
      EVENT_STREAM_RECHECK_MS: "300",
    }));
    owner = await registerUser(server);
    outsider = await registerUser(server);
  });
  afterEach(() => {
    for (const socket of open.splice(0)) socket.disconnect();
  });
  afterAll(() => stop());

  /** A connected client and every event it receives, in order. */
  async function connect(path: "/socket.io" | "/api/socket.io", auth: Record<string, unknown>) {
    const socket = io(server.url, { path, auth, transports: ["websocket"], reconnection: false });
    open.push(socket);
    const received: Received = [];
    socket.onAny((name, data) => received.push({ name, data }));
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return { socket, received };
  }
  const named = (received: Received, name: string) =>
    received.filter((r) => r.name === name).map((r) => r.data);
  const publish = (event: Parameters<TestServer["deps"]["engine"]["bus"]["publish"]>[0]) =>
    server.deps.engine.bus.publish(event);

  it("refuses a handshake without a valid credential, in the contract's error shape", async () => {
    const socket = io(server.url, {
      auth: { token: "nope" },
      transports: ["websocket"],
      reconnection: false,
    });
    open.push(socket);
    const error = await new Promise<Error & { data?: unknown }>((resolve) =>
      socket.once("connect_error", resolve),
    );
    expect(error.data).toMatchObject({ code: "UNAUTHORIZED", message: expect.any(String) });
  });

  it("seed 001: joins a conversation, posts through send_message, and receives the agent's answer", async () => {
    const { conversation } = await createCrewConversation(server, owner.access_token, ["product-manager"]);
    const { socket, received } = await connect("/socket.io", { token: owner.access_token });
    fake.enqueue({ text: ["Ship ", "the login"], usage: { input: 10, output: 4 } });
    await socket.emitWithAck("join_conversation", { conversation_id: conversation.id });
    socket.emit("send_message", { conversation_id: conversation.id, content: "What ships first?" });

    const messages = await eventually(() => {
      const all = named(received, "message") as { authorType: string; content: string }[];
      expect(all.map((m) => m.authorType)).toEqual(["user", "agent"]);
      return all;
    });
    expect(messages[0]).toMatchObject({ content: "What ships first?", conversationId: conversation.id });
    expect(messages[1]).toMatchObject({ content: "Ship the login" });
    // Stored as a REST post would be.
    const page = await server.api("GET", `/conversations/${conversation.id}/messages`, {
      token: owner.access_token,
    });
    expect(page.body.items.map((m: { content: string }) => m.content)).toContain("What ships first?");
    expect(named(received, "agent_typing")).toContainEqual(
      expect.objectContaining({
        conversation_id: conversation.id,
        is_typing: true,
        agent_id: expect.any(String),
      }),
    );
  });

  it("seed 001: a refused send_message comes back as an error event with code, message and details", async () => {
    const { conversation } = await createCrewConversation(server, owner.access_token, ["product-manager"]);
    const { socket, received } = await connect("/socket.io", { token: owner.access_token });
    socket.emit("send_message", { conversation_id: conversation.id, content: "" });
    const [error] = await eventually(() => {
      const errors = named(received, "error");
      expect(errors).toHaveLength(1);
      return errors;
    });
    expect(error).toMatchObject({
      code: "VALIDATION_ERROR",
      message: expect.any(String),
      details: expect.anything(),
    });
    // An outsider's post is refused the same way, and nothing is stored.
    const other = await connect("/socket.io", { token: outsider.access_token });
    other.socket.emit("send_message", { conversation_id: conversation.id, content: "let me in" });
    await eventually(() =>
      expect(named(other.received, "error")).toMatchObject([{ code: "RESOURCE_NOT_FOUND" }]),
    );
    const page = await server.api("GET", `/conversations/${conversation.id}/messages`, {
      token: owner.access_token,
    });
    expect(page.body.items).toEqual([]);
  });

  it("seed 001: refuses to join an outsider's conversation, and delivers them none of its messages", async () => {
    const { conversation } = await createCrewConversation(server, owner.access_token, ["product-manager"]);
    const { socket, received } = await connect("/socket.io", { token: outsider.access_token });
    socket.emit("join_conversation", { conversation_id: conversation.id });
    await eventually(() => expect(named(received, "error")).toMatchObject([{ code: "RESOURCE_NOT_FOUND" }]));
    socket.emit("typing", { conversation_id: conversation.id, is_typing: true });
    await eventually(() => expect(named(received, "error")).toHaveLength(2));
    const mine = await connect("/socket.io", { token: owner.access_token });
    expect(await mine.socket.emitWithAck("join_conversation", { conversation_id: conversation.id })).toEqual({
      ok: true,
    });
    mine.socket.emit("typing", { conversation_id: conversation.id, is_typing: true });
    await eventually(() => expect(named(mine.received, "agent_typing")).toHaveLength(1));
    expect(named(mine.received, "agent_typing")[0]).toEqual({
      conversation_id: conversation.id,
      agent_id: null,
      user_id: owner.user.id,
      is_typing: true,
    });
    expect(received.filter((r) => r.name !== "error")).toEqual([]);
  });

  it("seed 001: every server event in the seed's shape", async () => {
    const { projectId, agents, conversation } = await createCrewConversation(server, owner.access_token, [
      "architect",
    ]);
    const task = await server.api("POST", "/tasks", {
      token: owner.access_token,
      body: { title: "Build the login", projectId },
    });
    expect(task.status).toBe(200);
    const { socket, received } = await connect("/socket.io", { token: owner.access_token });
    expect(await socket.emitWithAck("join_conversation", { conversation_id: conversation.id })).toEqual({
      ok: true,
    });
    const agentId = agents[0]!.id;
    const scope = { projectId };
    await publish({
      type: "agent_status",
      scope,
      payload: {
        agentId,
        status: "working",
        currentTask: task.body.id,
        timestamp: "2026-02-12T00:00:00.000Z",
      },
    });
    await publish({
      type: "agent_typing",
      scope: { ...scope, conversationId: conversation.id },
      payload: { conversationId: conversation.id, agentId, isTyping: true },
    });
    await publish({
      type: "task_progress",
      scope: { ...scope, taskId: task.body.id },
      payload: {
        taskId: task.body.id,
        status: "in_progress",
        progress: { completed: 9, total: 20, percentage: 45 },
        message: "Compiling tests...",
      },
    });
    await publish({
      type: "budget_alert",
      scope: { userId: owner.user.id },
      payload: {
        level: "warning",
        scope: { type: "project", id: projectId, name: "Project X" },
        limitId: "l1",
        currentUsd: 42.5,
        limitUsd: 50,
        percentage: 85,
        message: "Project X at 85% of daily limit",
      },
    });
    await publish({
      type: "emergency_pause",
      scope,
      payload: {
        triggeredBy: "user",
        reason: "Budget limit exceeded",
        timestamp: "2026-02-12T00:00:00.000Z",
      },
    });
    await publish({
      type: "error",
      scope: { userId: owner.user.id },
      payload: { code: "AGENT_BUSY", message: "Agent already working on task", details: { agentId } },
    });
    await eventually(() => expect(received.map((r) => r.name)).toHaveLength(6));
    expect(received).toEqual([
      {
        name: "agent_status",
        data: {
          agent_id: agentId,
          status: "working",
          current_task: { id: task.body.id, title: "Build the login" },
          timestamp: "2026-02-12T00:00:00.000Z",
        },
      },
      {
        name: "agent_typing",
        data: { conversation_id: conversation.id, agent_id: agentId, is_typing: true },
      },
      {
        name: "task_progress",
        data: { task_id: task.body.id, progress: 45, status: "in_progress", message: "Compiling tests..." },
      },
      {
        name: "budget_alert",
        data: {
          level: "warning",
          scope: { type: "project", id: projectId, name: "Project X" },
          current: 42.5,
          limit: 50,
          percentage: 0.85,
          message: "Project X at 85% of daily limit",
        },
      },
      {
        name: "emergency_pause",
        data: {
          triggered_by: "user",
          reason: "Budget limit exceeded",
          timestamp: "2026-02-12T00:00:00.000Z",
        },
      },
      {
        name: "error",
        data: { code: "AGENT_BUSY", message: "Agent already working on task", details: { agentId } },
      },
    ]);

    // Leaving the conversation stops its events; the account-wide ones keep coming.
    await socket.emitWithAck("leave_conversation", { conversation_id: conversation.id });
    await publish({
      type: "agent_typing",
      scope: { ...scope, conversationId: conversation.id },
      payload: { conversationId: conversation.id, agentId, isTyping: false },
    });
    await publish({
      type: "emergency_pause",
      scope,
      payload: { triggeredBy: "system", reason: "again", timestamp: "2026-02-12T00:00:01.000Z" },
    });
    await eventually(() => expect(received).toHaveLength(7));
    expect(received.at(-1)?.name).toBe("emergency_pause");
  });

  it("seed 004: joins agent_ and user_ rooms at /api/socket.io and receives their events in its shape", async () => {
    const { projectId, agents } = await createCrewConversation(server, owner.access_token, ["architect"]);
    const agentId = agents[0]!.id;
    const task = await server.api("POST", "/tasks", {
      token: owner.access_token,
      body: { title: "Import leads", projectId },
    });
    const { socket, received } = await connect("/api/socket.io", { token: owner.access_token });
    const acked = (event: string, room: string) =>
      new Promise((resolve) => socket.emit(event, { room }, resolve));
    expect(await acked("join", `agent_${agentId}`)).toEqual({ ok: true });
    expect(await acked("join", `user_${owner.user.id}`)).toEqual({ ok: true });
    const scope = { projectId, taskId: task.body.id };
    await publish({
      type: "agent_status",
      scope,
      payload: { agentId, status: "working", currentTask: null, timestamp: "2026-02-12T00:00:00.000Z" },
    });
    const action = await publish({
      type: "agent_action",
      scope,
      payload: { agentId, type: "thought", content: "Reading the sheet" },
    });
    await publish({
      type: "pipeline_update",
      scope,
      payload: {
        taskId: task.body.id,
        runId: "run-1",
        runStatus: "running",
        steps: [{ agent: { id: agentId, name: "Ada", role: "architect" }, status: "running" }],
        currentStep: 0,
      },
    });
    await publish({
      type: "task_progress",
      scope,
      payload: {
        taskId: task.body.id,
        status: "in_progress",
        progress: { completed: 1, total: 4, percentage: 25 },
        message: "Working",
      },
    });
    await eventually(() => expect(received).toHaveLength(4));
    expect(received).toEqual([
      { name: "agent_status", data: { agent_id: agentId, status: "active" } },
      { name: "agent_action", data: { id: action.id, type: "thought", content: "Reading the sheet" } },
      {
        name: "pipeline_update",
        data: {
          process_id: "run-1",
          pipeline: {
            task_id: task.body.id,
            status: "running",
            current_step: 0,
            steps: [{ agent_id: agentId, name: "Ada", role: "architect", status: "running" }],
          },
        },
      },
      {
        name: "task_update",
        data: { id: task.body.id, status: "processing", progress: 25, created_at: expect.any(String) },
      },
    ]);

    // After leaving the agent's room, its events stop.
    expect(await acked("leave", `agent_${agentId}`)).toEqual({ ok: true });
    await publish({
      type: "agent_action",
      scope,
      payload: { agentId, type: "tool_call", content: "read()" },
    });
    // The user's room still receives (events arrive in order, so the action would have come first).
    await publish({
      type: "task_completed",
      scope,
      payload: {
        taskId: task.body.id,
        status: "completed",
        usage: { totalTokens: 10, totalCostUsd: 0.1 },
        result: { type: "output" },
      },
    });
    await eventually(() => expect(received).toHaveLength(5));
    expect(received.at(-1)).toEqual({
      name: "task_update",
      data: { id: task.body.id, status: "completed", progress: 100, created_at: expect.any(String) },
    });
  });

  it("seed 004: refuses an outsider's rooms with an error, and sends them nothing from them", async () => {
    const { projectId, agents } = await createCrewConversation(server, owner.access_token, ["architect"]);
    const agentId = agents[0]!.id;
    const { socket, received } = await connect("/api/socket.io", { token: outsider.access_token });
    const acked = (room: unknown) => new Promise((resolve) => socket.emit("join", { room }, resolve));
    expect(await acked(`agent_${agentId}`)).toMatchObject({ error: { code: "RESOURCE_NOT_FOUND" } });
    expect(await acked(`user_${owner.user.id}`)).toMatchObject({ error: { code: "RESOURCE_NOT_FOUND" } });
    expect(await acked("lobby")).toMatchObject({ error: { code: "VALIDATION_ERROR" } });
    expect(named(received, "error")).toHaveLength(3);
    await publish({
      type: "agent_status",
      scope: { projectId },
      payload: { agentId, status: "working", currentTask: null, timestamp: "2026-02-12T00:00:00.000Z" },
    });
    // A probe in their own room, published after: the agent's status would have arrived before it.
    expect(await acked(`user_${outsider.user.id}`)).toEqual({ ok: true });
    await publishProbe(server, outsider.user.id, "probe", "probe");
    await eventually(() => expect(received).toHaveLength(4));
    expect(received.map((r) => r.name)).toEqual(["error", "error", "error", "task_update"]);
  });

  it("allows 100 messages a minute per connection and refuses the next with RATE_LIMIT_EXCEEDED", async () => {
    const { conversation } = await createCrewConversation(server, owner.access_token, ["architect"]);
    const { socket, received } = await connect("/socket.io", { token: owner.access_token });
    const answers: unknown[] = [];
    for (let i = 0; i < 101; i++) {
      socket.emit("leave_conversation", { conversation_id: conversation.id }, (a: unknown) =>
        answers.push(a),
      );
    }
    await eventually(() => expect(named(received, "error")).toHaveLength(1));
    expect(named(received, "error")[0]).toMatchObject({
      code: "RATE_LIMIT_EXCEEDED",
      details: { limit: 100, retryAfterSeconds: expect.any(Number) },
    });
    await eventually(() => expect(answers).toHaveLength(100));
    // Another connection has its own allowance.
    const other = await connect("/socket.io", { token: owner.access_token });
    expect(
      await new Promise((r) => other.socket.emit("leave_conversation", { conversation_id: "x" }, r)),
    ).toEqual({
      ok: true,
    });
  });

  it("resumes after a dropped connection: same conversations joined, the events sent meanwhile once each", async () => {
    const { projectId, conversation } = await createCrewConversation(server, owner.access_token, [
      "architect",
    ]);
    const socket = io(server.url, {
      auth: { token: owner.access_token },
      transports: ["websocket"],
      reconnectionDelay: 200,
      reconnectionDelayMax: 400,
    });
    open.push(socket);
    const received: Received = [];
    socket.onAny((name, data) => received.push({ name, data }));
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    await socket.emitWithAck("join_conversation", { conversation_id: conversation.id });
    const typing = (isTyping: boolean) =>
      publish({
        type: "agent_typing",
        scope: { projectId, conversationId: conversation.id },
        payload: { conversationId: conversation.id, agentId: null, userId: "someone", isTyping },
      });
    await typing(true);
    await eventually(() => expect(received).toHaveLength(1));

    const dropped = new Promise((resolve) => socket.once("disconnect", resolve));
    // The network drops (the raw connection closes), as opposed to the client saying goodbye.
    (socket.io.engine.transport as unknown as { ws: { close(): void } }).ws.close();
    expect(await dropped).toBe("transport close");
    await typing(false);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    expect(socket.recovered).toBe(true);
    await eventually(() => expect(received).toHaveLength(2));
    expect(named(received, "agent_typing")).toMatchObject([{ is_typing: true }, { is_typing: false }]);
    // Still in the conversation after the reconnection.
    await typing(true);
    await eventually(() => expect(received).toHaveLength(3));
  });

  it("cuts the connection with an error once its token is revoked, on both paths", async () => {
    const user = await registerUser(server);
    const a = await connect("/socket.io", { token: user.access_token });
    const b = await connect("/api/socket.io", { token: user.access_token });
    const gone = (s: Socket) => new Promise<string>((resolve) => s.once("disconnect", resolve));
    const cut = [gone(a.socket), gone(b.socket)];
    await signOutEverywhere(server, user);
    expect(await Promise.all(cut)).toEqual(["io server disconnect", "io server disconnect"]);
    expect(named(a.received, "error")).toMatchObject([{ code: "UNAUTHORIZED" }]);
    // The same token cannot connect again.
    await expect(connect("/socket.io", { token: user.access_token })).rejects.toMatchObject({
      data: { code: "UNAUTHORIZED" },
    });
  });
});
