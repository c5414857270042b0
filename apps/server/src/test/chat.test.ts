// Chatting with agents against a local Anthropic fake over real HTTP: a streamed, metered reply; only the
// addressed agents answer; memory and its reset; a pause stops a reply mid-stream; a blocking limit
// refuses the post with nothing stored; one usage row per call, whatever id the provider gives; and each
// person's daily spend cap.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCrewConversation,
  registerUser,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
} from "./harness";

describe("chat with agents", () => {
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let owner: TestUser;

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({
      RATE_LIMIT_REGISTER_MAX: "1000",
    }));
    owner = await registerUser(server);
  });
  afterAll(() => stop());

  const get = (path: string) => server.api("GET", path, { token: owner.access_token });
  const post = (path: string, body: unknown = {}) =>
    server.api("POST", path, { token: owner.access_token, body });
  const settle = () => server.deps.engine.replies.idle();
  const modelRequestsSince = (n: number) =>
    fake.requests.slice(n).filter((r) => r.path.endsWith("/messages"));
  /** Everything the model was sent, flattened to one string. */
  const said = (request: { body: { system?: unknown; messages: unknown } }) =>
    JSON.stringify([request.body.system, request.body.messages]);

  const crewConversation = (roles: string[], extra: Record<string, unknown> = {}) =>
    createCrewConversation(server, owner.access_token, roles, extra);

  type Message = { id: string; authorType: string; agent: { id: string }; content: string; costUsd: number };
  const agentMessages = async (conversationId: string) =>
    ((await get(`/conversations/${conversationId}/messages?limit=100`)).body.items as Message[]).filter(
      (m) => m.authorType === "agent",
    );

  it("streams the agent's reply token by token and meters it exactly", async () => {
    const { agents, conversation } = await crewConversation(["product-manager"]);
    const [pm] = agents;
    const before = fake.requests.length;
    fake.enqueue({ text: ["Hello ", "from ", "the PM"], usage: { input: 321, output: 12 } });

    const posted = await post(`/conversations/${conversation.id}/messages`, { content: "What ships first?" });
    expect(posted.status).toBe(200);
    await settle();

    const [reply] = await agentMessages(conversation.id);
    expect(reply).toMatchObject({
      agent: { id: pm!.id, role: "product-manager" },
      content: "Hello from the PM",
      status: "complete",
      replyTo: posted.body.id,
      tokensIn: 321,
      tokensOut: 12,
      model: expect.any(String),
    });
    expect(reply!.costUsd).toBeGreaterThan(0);

    const requests = modelRequestsSince(before);
    expect(requests).toHaveLength(1);
    expect(said(requests[0]!)).toContain("What ships first?");
    expect(requests[0]!.body.stream).toBe(true);

    const records = await server.deps.db.query.usageRecords.findMany({
      where: (r, { eq }) => eq(r.conversationId, conversation.id),
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      agentId: pm!.id,
      userId: owner.user.id,
      inputTokens: 321,
      outputTokens: 12,
      outcome: "success",
    });

    // The reply's chunks (each sent live as the model sent it: see events.test.ts) are stored in one row.
    const events = await server.deps.db.query.events.findMany({
      where: (e, { eq }) => eq(e.conversationId, conversation.id),
      orderBy: (e, { asc }) => asc(e.id),
    });
    const deltas = events
      .filter((e) => e.type === "message_delta")
      .map((e) => e.payload as { messageId: string; delta: string })
      .filter((p) => p.messageId === reply!.id)
      .map((p) => p.delta);
    expect(deltas).toEqual(["Hello from the PM"]);
    const typing = events
      .filter((e) => e.type === "agent_typing")
      .map((e) => (e.payload as { isTyping: boolean }).isTyping);
    expect(typing).toEqual([true, false]);
  });

  it("meters each call once, by our call id, even when the provider repeats its message id", async () => {
    // Providers such as Ollama number their replies with small counters, so two calls can share an id.
    const { projectId, conversation } = await crewConversation(["product-manager"]);
    const records = () =>
      server.deps.db.query.usageRecords.findMany({
        where: (r, { eq }) => eq(r.conversationId, conversation.id),
      });
    // On the PM's model, 8,000 output tokens cost 0.04 USD; a reply's worst case (8,192 of them) a little more.
    const reply = { id: "msg_repeated", text: "Noted.", usage: { input: 100, output: 8_000 } };
    const limit = await post("/budget/limits", {
      name: "Chat allowance",
      scopeType: "project",
      scopeId: projectId,
      amountUsd: 0.1,
      period: "daily",
      alertThreshold: 0.8,
      actionOnExceed: "block",
    });
    expect(limit.status).toBe(200);

    fake.enqueue(reply);
    expect((await post(`/conversations/${conversation.id}/messages`, { content: "First" })).status).toBe(200);
    await settle();
    // One call, one row, settled with the provider's figures (never a pending row beside it).
    expect(await records()).toEqual([
      expect.objectContaining({ providerMessageId: "msg_repeated", status: "settled", outputTokens: 8_000 }),
    ]);

    fake.enqueue(reply);
    expect((await post(`/conversations/${conversation.id}/messages`, { content: "Second" })).status).toBe(
      200,
    );
    await settle();
    const both = await records();
    expect(both.map((r) => [r.providerMessageId, r.status, r.outputTokens])).toEqual([
      ["msg_repeated", "settled", 8_000],
      ["msg_repeated", "settled", 8_000],
    ]);
    expect(new Set(both.map((r) => r.callId)).size).toBe(2);

    // 0.08 spent: another reply could cost 0.04 more, past 0.10, so the limit refuses it.
    const before = fake.requests.length;
    const refused = await post(`/conversations/${conversation.id}/messages`, { content: "Third" });
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: "BUDGET_EXCEEDED",
      details: { limitId: limit.body.id, spentUsd: expect.closeTo(0.08, 2) },
    });
    expect(modelRequestsSince(before)).toHaveLength(0);
    expect(await records()).toHaveLength(2);
  });

  it("asks only the addressed agents, and each hears what the others said", async () => {
    const { agents, conversation } = await crewConversation(["product-manager", "architect", "qa-engineer"]);
    const [pm, architect, qa] = agents;
    const before = fake.requests.length;
    fake.enqueue({ text: "Architect here" }, { text: "QA here" });

    const posted = await post(`/conversations/${conversation.id}/messages`, {
      content: "Architect and QA: is this testable?",
      agentIds: [architect!.id, qa!.id],
    });
    expect(posted.status).toBe(200);
    await settle();

    const replies = await agentMessages(conversation.id);
    expect(replies.map((m) => m.agent.id).sort()).toEqual([architect!.id, qa!.id].sort());
    expect(replies.some((m) => m.agent.id === pm!.id)).toBe(false);
    const requests = modelRequestsSince(before);
    expect(requests).toHaveLength(2);
    // QA answers second and is shown the architect's answer.
    expect(said(requests[1]!)).toContain("Architect here");
  });

  it("remembers the conversation until the agent's memory is reset", async () => {
    const { projectId, agents, conversation } = await crewConversation(["architect"]);
    const [architect] = agents;
    fake.enqueue({ text: "Use a queue." }, { text: "As I said, a queue." }, { text: "Fresh start." });
    const path = `/conversations/${conversation.id}/messages`;

    await post(path, { content: "How do we handle bursts of webhooks?" });
    await settle();
    const before = fake.requests.length;
    await post(path, { content: "Remind me?" });
    await settle();
    const remembered = said(modelRequestsSince(before)[0]!);
    expect(remembered).toContain("How do we handle bursts of webhooks?");
    expect(remembered).toContain("Use a queue.");

    const reset = await post(`/projects/${projectId}/agents/${architect!.id}/reset`);
    expect(reset.status).toBe(200);
    const afterReset = fake.requests.length;
    await post(path, { content: "What do you know so far?" });
    await settle();
    const forgotten = said(modelRequestsSince(afterReset)[0]!);
    expect(forgotten).toContain("What do you know so far?");
    expect(forgotten).not.toContain("bursts of webhooks");
    expect(forgotten).not.toContain("Use a queue.");
  });

  it("answers a conversation's first message", async () => {
    fake.enqueue({ text: "Welcome aboard" });
    const { agents, conversation } = await crewConversation(["product-manager"], {
      initialMessage: "Kick-off: what do we build?",
    });
    await settle();
    const [reply] = await agentMessages(conversation.id);
    expect(reply).toMatchObject({
      agent: { id: agents[0]!.id },
      content: "Welcome aboard",
      status: "complete",
    });
  });

  it("stops a reply mid-stream when the conversation is paused, keeping what was said", async () => {
    const { conversation } = await crewConversation(["senior-developer"]);
    const gate = fake.hold();
    fake.enqueue({ text: ["Partial ", "answer ", "never finished"], usage: { input: 50, output: 7 } });
    await post(`/conversations/${conversation.id}/messages`, { content: "Write the migration" });
    await gate.reached;

    const paused = await post(`/conversations/${conversation.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe("paused");
    gate.release();
    await settle();

    const [reply] = await agentMessages(conversation.id);
    expect(reply).toMatchObject({ status: "cancelled", content: "Partial " });
    const records = await server.deps.db.query.usageRecords.findMany({
      where: (r, { eq }) => eq(r.conversationId, conversation.id),
    });
    // The aborted call settles its one row with what the stream had reported, not the pending estimate.
    expect(records.map((r) => [r.outcome, r.status, r.inputTokens])).toEqual([["cancelled", "settled", 50]]);

    // While paused, a person may still talk, and nobody is asked.
    const before = fake.requests.length;
    const quiet = await post(`/conversations/${conversation.id}/messages`, { content: "Noted" });
    expect(quiet.status).toBe(200);
    await settle();
    expect(modelRequestsSince(before)).toHaveLength(0);
  });

  it("does not ask a paused agent, and asks it again once resumed", async () => {
    const { projectId, agents, conversation } = await crewConversation(["qa-engineer"]);
    const agentPath = `/projects/${projectId}/agents/${agents[0]!.id}`;
    expect((await post(`${agentPath}/pause`)).body.status).toBe("paused");
    const before = fake.requests.length;
    await post(`/conversations/${conversation.id}/messages`, { content: "Test plan?" });
    await settle();
    expect(modelRequestsSince(before)).toHaveLength(0);

    expect((await post(`${agentPath}/resume`)).body.status).toBe("idle");
    fake.enqueue({ text: "Here is the test plan" });
    await post(`/conversations/${conversation.id}/messages`, { content: "Test plan, please?" });
    await settle();
    expect((await agentMessages(conversation.id)).map((m) => m.content)).toEqual(["Here is the test plan"]);
  });

  it("refuses a post over a blocking limit with 402, storing nothing", async () => {
    const { projectId, conversation } = await crewConversation(["product-manager"]);
    const limit = await post("/budget/limits", {
      name: "Tiny",
      scopeType: "project",
      scopeId: projectId,
      amountUsd: 0.000001,
      period: "daily",
      alertThreshold: 0.8,
      actionOnExceed: "block",
    });
    expect(limit.status).toBe(200);
    const before = fake.requests.length;

    const res = await post(`/conversations/${conversation.id}/messages`, { content: "Expensive question" });
    expect(res.status).toBe(402);
    expect(res.body.error.code).toBe("BUDGET_EXCEEDED");
    expect((await get(`/conversations/${conversation.id}`)).body.messageCount).toBe(0);
    expect(modelRequestsSince(before)).toHaveLength(0);
    const held = await server.deps.db.query.budgetReservations.findMany({
      where: (r, { eq }) => eq(r.status, "held"),
    });
    expect(held).toHaveLength(0);
  });
});

describe("a person's daily spend cap", () => {
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let admin: TestUser;

  beforeAll(async () => {
    // A reply's worst case on the PM's model is a little over 0.04 USD: the cap leaves room for one reply
    // of 0.04 and not for a second.
    ({ server, fake, stop } = await startTestServerWithModel({
      RATE_LIMIT_REGISTER_MAX: "1000",
      DEFAULT_DAILY_SPEND_CAP_USD: "0.07",
    }));
    admin = await registerUser(server); // the first account administers the site
  });
  afterAll(() => stop());

  const reply = { text: "Noted.", usage: { input: 100, output: 8_000 } };

  const postAs = (user: TestUser, conversationId: string, content: string) =>
    server.api("POST", `/conversations/${conversationId}/messages`, {
      token: user.access_token,
      body: { content },
    });
  const spentBy = async (userId: string) => {
    const rows = await server.deps.db.query.usageRecords.findMany({
      where: (r, { eq }) => eq(r.userId, userId),
    });
    return rows.reduce((total, r) => total + r.costMicros, 0);
  };

  it("refuses a person's calls past the cap with 402, charges nothing past it, and leaves others alone", async () => {
    const spender = await registerUser(server);
    const other = await registerUser(server);
    const { conversation } = await createCrewConversation(server, spender.access_token, ["product-manager"]);

    fake.enqueue(reply);
    expect((await postAs(spender, conversation.id, "First")).status).toBe(200);
    await server.deps.engine.replies.idle();
    expect(await spentBy(spender.user.id)).toBeGreaterThan(35_000);

    const before = fake.requests.length;
    const refused = await postAs(spender, conversation.id, "Second");
    expect(refused.status).toBe(402);
    expect(refused.body.error).toMatchObject({
      code: "BUDGET_EXCEEDED",
      details: {
        name: "Daily spend cap",
        scope: { type: "user", id: spender.user.id },
        period: "daily",
        limitUsd: 0.07,
      },
    });
    expect(fake.requests.length).toBe(before);
    expect(
      (await server.api("GET", `/conversations/${conversation.id}`, { token: spender.access_token })).body,
    ).toMatchObject({ messageCount: 2 });
    expect(await spentBy(spender.user.id)).toBeLessThanOrEqual(70_000);

    // The runs the person starts are their calls too.
    const task = await server.api("POST", "/tasks", {
      token: spender.access_token,
      body: { title: "Over the cap", projectId: conversation.projectId },
    });
    const start = await server.api("POST", `/tasks/${task.body.id}/start`, {
      token: spender.access_token,
      body: {},
    });
    expect(start.status).toBe(402);
    expect(start.body.error.code).toBe("BUDGET_EXCEEDED");

    // Someone else's day is their own.
    const theirs = await createCrewConversation(server, other.access_token, ["product-manager"]);
    fake.enqueue(reply);
    expect((await postAs(other, theirs.conversation.id, "Mine")).status).toBe(200);
    await server.deps.engine.replies.idle();
    expect(await spentBy(other.user.id)).toBeGreaterThan(35_000);
  });

  it("follows an administrator's change at once, without a restart", async () => {
    const spender = await registerUser(server);
    const { conversation } = await createCrewConversation(server, spender.access_token, ["product-manager"]);
    const setCap = (usd: number) =>
      server.api("PATCH", "/admin/settings", { token: admin.access_token, body: { dailySpendCapUsd: usd } });
    expect((await setCap(0.01)).status).toBe(200);
    const refused = await postAs(spender, conversation.id, "Too dear");
    expect(refused.status).toBe(402);
    expect(refused.body.error.details).toMatchObject({ name: "Daily spend cap", limitUsd: 0.01 });

    expect((await setCap(0)).status).toBe(200); // no cap
    fake.enqueue(reply);
    expect((await postAs(spender, conversation.id, "Now?")).status).toBe(200);
    await server.deps.engine.replies.idle();
    expect(await spentBy(spender.user.id)).toBeGreaterThan(35_000);
  });
});
