// Stop and regenerate in a chat: a reply being written is stopped with what it said kept, and a finished
// reply is replaced by the same agent answering the same message again, without seeing the old answer.
import { schema } from "@crewdeck/db";
import { planReplies, startReplies } from "@crewdeck/engine";
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  apiAs,
  createCrewConversation,
  registerUser,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
} from "./harness";
import { openRawStream } from "./live-events";

describe("stopping and regenerating chat replies", () => {
  let server: TestServer;
  let fake: FakeAnthropic;
  let stop: () => Promise<void>;
  let owner: TestUser;
  let viewer: TestUser;
  let conversationId: string;

  const api = apiAs(() => server);
  const messages = async () =>
    (await api(owner, "GET", `/conversations/${conversationId}/messages`)).body.items as Array<{
      id: string;
      content: string;
      status: string;
      authorType: string;
      replyTo: string | null;
    }>;

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({ RATE_LIMIT_REGISTER_MAX: "1000" }));
    [owner, viewer] = await Promise.all([registerUser(server), registerUser(server)]);
    const made = await createCrewConversation(server, owner.access_token, ["architect"]);
    conversationId = made.conversation.id;
    expect((await addMember(server, owner.access_token, made.projectId, viewer, "viewer")).status).toBe(200);
  });
  afterAll(() => stop?.());

  it("stops a reply mid-stream, keeping its first words", async () => {
    const gate = fake.hold();
    fake.enqueue({ text: ["First words, ", "and the rest nobody reads."] });
    await api(owner, "POST", `/conversations/${conversationId}/messages`, { content: "Talk a lot" });
    await gate.reached;
    const res = await api(owner, "POST", `/conversations/${conversationId}/stop`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ stopped: 1, skipped: 0 });
    gate.release();
    await server.deps.engine.replies.idle();
    const [reply] = await messages();
    expect(reply!.authorType).toBe("agent");
    expect(reply!.status).toBe("cancelled");
    expect(reply!.content).toContain("First words");
    expect(reply!.content).not.toContain("nobody reads");

    const idle = await api(owner, "POST", `/conversations/${conversationId}/stop`);
    expect(idle.body).toEqual({ stopped: 0, skipped: 0 });
    expect((await api(viewer, "POST", `/conversations/${conversationId}/stop`)).status).toBe(403);
  });

  it("regenerates a reply: the old one goes, the agent answers the same message afresh", async () => {
    fake.enqueue({ text: "A dull answer." });
    const question = await api(owner, "POST", `/conversations/${conversationId}/messages`, {
      content: "Name the service",
    });
    await server.deps.engine.replies.idle();
    const [old] = await messages();
    expect(old!.content).toBe("A dull answer.");

    fake.enqueue({ text: "A better answer." });
    const sent = fake.requests.length;
    const res = await api(owner, "POST", `/conversations/${conversationId}/messages/${old!.id}/regenerate`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.agents.map((a: { role: string }) => a.role)).toEqual(["architect"]);
    await server.deps.engine.replies.idle();

    const [fresh, asked] = await messages();
    expect(fresh!.content).toBe("A better answer.");
    expect(fresh!.replyTo).toBe(question.body.id);
    expect(asked!.id).toBe(question.body.id);
    expect((await messages()).some((m) => m.id === old!.id)).toBe(false);
    // The model answered the question again, not its own old answer.
    const request = JSON.stringify(fake.requests[sent]!.body.messages);
    expect(request).toContain("Name the service");
    expect(request).not.toContain("A dull answer.");
  });

  it("regenerating drops the old reply on every open screen: others' streams get message_deleted, outsiders' do not", async () => {
    const outsider = await registerUser(server);
    const own = await server.api("POST", "/conversations", {
      token: outsider.access_token,
      body: { title: "Mine alone" },
    });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.access_token}` });
    fake.enqueue({ text: "An answer to replace." });
    await api(owner, "POST", `/conversations/${conversationId}/messages`, { content: "Once more" });
    await server.deps.engine.replies.idle();
    const [old] = await messages();
    expect(old!.content).toBe("An answer to replace.");

    // Another screen on the conversation (the viewer's), and an outsider's stream of everything they see.
    const other = await openRawStream(server.url, bearer(viewer), `?conversationId=${conversationId}`);
    const outside = await openRawStream(server.url, bearer(outsider));
    expect([other.res.status, outside.res.status]).toEqual([200, 200]);
    fake.enqueue({ text: "The answer that replaces it." });
    const res = await api(owner, "POST", `/conversations/${conversationId}/messages/${old!.id}/regenerate`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await server.deps.engine.replies.idle();

    const seen = await other.until("The answer that replaces it.");
    const deleted = seen.findIndex((e) => e.type === "message_deleted");
    expect(seen[deleted]).toMatchObject({
      type: "message_deleted",
      scope: { conversationId },
      payload: { messageId: old!.id, conversationId },
    });
    // The old reply goes first, then the new one is written.
    const fresh = seen.findIndex((e) => e.type === "message" && e.payload.id !== old!.id);
    expect(deleted).toBeGreaterThanOrEqual(0);
    expect(fresh).toBeGreaterThan(deleted);

    // The outsider's own post closes the window: it is all they got.
    await server.api("POST", `/conversations/${own.body.id}/messages`, {
      token: outsider.access_token,
      body: { content: "sentinel" },
    });
    expect((await outside.until("sentinel")).map((e) => e.type)).toEqual(["message"]);
    await Promise.all([other.close(), outside.close()]);
  });

  it("regenerates only agents' replies of this conversation", async () => {
    const [, question] = await messages();
    const mine = await api(
      owner,
      "POST",
      `/conversations/${conversationId}/messages/${question!.id}/regenerate`,
    );
    expect(mine.status).toBe(404);
    expect(mine.body.error.code).toBe("RESOURCE_NOT_FOUND");
    const [reply] = await messages();
    const asViewer = await api(
      viewer,
      "POST",
      `/conversations/${conversationId}/messages/${reply!.id}/regenerate`,
    );
    expect(asViewer.status).toBe(403);
  });
});

describe("Stop ends the whole round of replies", () => {
  let server: TestServer;
  let fake: FakeAnthropic;
  let stop: () => Promise<void>;
  let owner: TestUser;
  let conversationId: string;

  const api = (method: string, path: string, body?: unknown) =>
    server.api(method, path, { token: owner.access_token, body });
  const messages = async () =>
    (await api("GET", `/conversations/${conversationId}/messages`)).body.items as Array<{
      content: string;
      status: string;
      authorType: string;
      agent: { role: string } | null;
    }>;
  const heldReservations = async () =>
    server.deps.db
      .select()
      .from(schema.budgetReservations)
      .where(eq(schema.budgetReservations.status, "held"));

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({ RATE_LIMIT_REGISTER_MAX: "1000" }));
    owner = await registerUser(server);
    const made = await createCrewConversation(server, owner.access_token, [
      "architect",
      "senior-developer",
      "qa-engineer",
    ]);
    conversationId = made.conversation.id;
  });
  afterAll(() => stop?.());

  it("stops the first of three replies mid-stream: the other two never start and hold no budget", async () => {
    const before = fake.requests.length;
    const gate = fake.hold();
    fake.enqueue({ text: ["Half a plan, ", "and the rest nobody reads."] });
    const posted = await api("POST", `/conversations/${conversationId}/messages`, { content: "Plan it" });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    await gate.reached;
    expect(await heldReservations()).toHaveLength(3);

    const res = await api("POST", `/conversations/${conversationId}/stop`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ stopped: 1, skipped: 2 });
    gate.release();
    await server.deps.engine.replies.idle();

    const [reply, question, ...rest] = await messages();
    expect(rest).toEqual([]);
    expect(question!.content).toBe("Plan it");
    expect(reply).toMatchObject({ authorType: "agent", status: "cancelled", agent: { role: "architect" } });
    expect(reply!.content).toContain("Half a plan");
    expect(reply!.content).not.toContain("nobody reads");
    // Only the first agent's call reached the model; nobody's budget is held any more.
    expect(fake.requests.length - before).toBe(1);
    expect(await heldReservations()).toEqual([]);

    // The next post is answered by all three, in order.
    fake.enqueue({ text: "The architect again." }, { text: "The developer." }, { text: "The tester." });
    const next = await api("POST", `/conversations/${conversationId}/messages`, { content: "Go on" });
    expect(next.status).toBe(200);
    await server.deps.engine.replies.idle();
    const answers = (await messages()).slice(0, 3).reverse();
    expect(answers.map((m) => [m.agent?.role, m.status, m.content])).toEqual([
      ["architect", "complete", "The architect again."],
      ["senior-developer", "complete", "The developer."],
      ["qa-engineer", "complete", "The tester."],
    ]);
    expect(await heldReservations()).toEqual([]);
  });

  it("pausing the conversation mid-reply ends the round too; after resuming, the next post is answered", async () => {
    const before = fake.requests.length;
    const gate = fake.hold();
    fake.enqueue({ text: ["Half a review, ", "and the rest nobody reads."] });
    const posted = await api("POST", `/conversations/${conversationId}/messages`, { content: "Review it" });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    await gate.reached;
    expect((await api("POST", `/conversations/${conversationId}/pause`)).status).toBe(200);
    gate.release();
    await server.deps.engine.replies.idle();

    const [reply, question] = await messages();
    expect(question!.content).toBe("Review it");
    expect(reply).toMatchObject({ authorType: "agent", status: "cancelled", agent: { role: "architect" } });
    expect(fake.requests.length - before).toBe(1);
    expect(await heldReservations()).toEqual([]);

    expect((await api("POST", `/conversations/${conversationId}/resume`)).status).toBe(200);
    fake.enqueue({ text: "Architect." }, { text: "Developer." }, { text: "Tester." });
    await api("POST", `/conversations/${conversationId}/messages`, { content: "Again" });
    await server.deps.engine.replies.idle();
    expect((await messages()).slice(0, 3).map((m) => m.content)).toEqual([
      "Tester.",
      "Developer.",
      "Architect.",
    ]);
  });

  it("skips an agent paused while the round waits for it, and the others still answer", async () => {
    const crew = (await api("GET", `/conversations/${conversationId}`)).body.agents as Array<{
      id: string;
      role: string;
    }>;
    const developer = crew.find((a) => a.role === "senior-developer")!;
    const project = (await api("GET", `/conversations/${conversationId}`)).body.projectId as string;
    const gate = fake.hold();
    fake.enqueue({ text: ["The architect speaks."] }, { text: "The tester speaks." });
    await api("POST", `/conversations/${conversationId}/messages`, { content: "Who is here?" });
    await gate.reached;
    const paused = await api("POST", `/projects/${project}/agents/${developer.id}/pause`);
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    gate.release();
    await server.deps.engine.replies.idle();

    const [last, first, question] = await messages();
    expect(question!.content).toBe("Who is here?");
    expect([first, last].map((m) => [m!.agent?.role, m!.status, m!.content])).toEqual([
      ["architect", "complete", "The architect speaks."],
      ["qa-engineer", "complete", "The tester speaks."],
    ]);
    expect(await heldReservations()).toEqual([]);
    expect((await api("POST", `/projects/${project}/agents/${developer.id}/resume`)).status).toBe(200);
  });

  it("ends a round that has not begun when Stop arrives while nothing is being written", async () => {
    const conversation = await server.deps.db.query.conversations.findFirst({
      where: eq(schema.conversations.id, conversationId),
    });
    const posted = await api("POST", `/conversations/${conversationId}/messages`, {
      content: "Wait for it",
      agentIds: [],
    });
    await server.deps.engine.replies.idle();
    const count = (await messages()).length;
    const before = fake.requests.length;
    // The round is planned (its budget held), then a person presses Stop before any agent starts.
    const plan = await planReplies(server.deps.engine, {
      conversation: conversation!,
      userId: owner.user.id,
      pending: null,
      agentIds: [],
    });
    expect(plan.replies).toHaveLength(3);
    const res = await api("POST", `/conversations/${conversationId}/stop`);
    expect(res.body).toEqual({ stopped: 0, skipped: 3 });
    await startReplies(server.deps.engine, plan, posted.body.id, { inProcess: true });

    expect(fake.requests.length).toBe(before);
    expect(await messages()).toHaveLength(count);
    expect(await heldReservations()).toEqual([]);
  });
});
