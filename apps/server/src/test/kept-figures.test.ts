// Figures the database keeps beside the rows they sum, so reads cost the page rather than the data: each
// conversation's message count, and usage per day behind project figures and the budget banner. They must
// follow every way the rows are written (the engine's calls from estimate to settlement, plain inserts,
// deletions, a deleted agent) and be recomputed for a database written before they were kept.
import { microsToUsd } from "@crewdeck/db";
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createCrewConversation,
  registerUser,
  startTestServer,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
} from "./harness";

const DAY_MS = 86_400_000;

/** A message written the way the engine and webhooks write theirs: a plain insert, no API in between. */
async function insertMessage(server: TestServer, conversationId: string, id: string) {
  await server.deps.db.$client.execute({
    sql: "INSERT INTO messages (id, conversation_id, author_type, content) VALUES (?, ?, 'system', 'Imported')",
    args: [id, conversationId],
  });
}

/** A settled usage row, as an import or another process would write it. */
async function insertUsage(
  server: TestServer,
  row: {
    id: string;
    projectId: string;
    userId: string;
    agentId: string;
    costMicros: number;
    at: number;
    model?: string;
  },
) {
  await server.deps.db.$client.execute({
    sql: `INSERT INTO usage_records (id, user_id, project_id, agent_id, provider, model, input_tokens, output_tokens,
            cost_micros, outcome, status, created_at)
          VALUES (?, ?, ?, ?, 'anthropic', ?, 1000, 500, ?, 'success', 'settled', ?)`,
    args: [
      row.id,
      row.userId,
      row.projectId,
      row.agentId,
      row.model ?? "claude-imported",
      row.costMicros,
      row.at,
    ],
  });
}

describe("figures kept beside their rows", () => {
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let owner: TestUser;

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel());
    owner = await registerUser(server);
  });
  afterAll(() => stop());

  const get = async (path: string) => {
    const res = await server.api("GET", path, { token: owner.access_token });
    expect(res.status).toBe(200);
    return res.body;
  };
  const post = (path: string, body: unknown = {}) =>
    server.api("POST", path, { token: owner.access_token, body });

  it("counts a conversation's messages however they are written or removed", async () => {
    const { projectId, conversation } = await createCrewConversation(server, owner.access_token, [
      "product-manager",
    ]);
    fake.enqueue({ text: "On it." });
    expect((await post(`/conversations/${conversation.id}/messages`, { content: "Plan it" })).status).toBe(
      200,
    );
    await server.deps.engine.replies.idle();
    await insertMessage(server, conversation.id, "imported-message-1");
    await insertMessage(server, conversation.id, "imported-message-2");

    // The person's message, the agent's reply and the two imported ones.
    expect((await get(`/conversations/${conversation.id}`)).messageCount).toBe(4);
    const listed = (await get(`/projects/${projectId}/conversations`)).items;
    expect(listed).toEqual([expect.objectContaining({ id: conversation.id, messageCount: 4 })]);

    await server.deps.db.$client.execute("DELETE FROM messages WHERE id = 'imported-message-2'");
    const detail = await get(`/conversations/${conversation.id}`);
    expect(detail.messageCount).toBe(3);
    expect(detail.messages).toHaveLength(3);
  });

  it("shows a call in flight at its estimate, then at its cost, in the project and the budget banner", async () => {
    const { projectId, agents, conversation } = await createCrewConversation(server, owner.access_token, [
      "product-manager",
    ]);
    const [pm] = agents;
    const budgetBefore = await get("/budget/summary");
    const gate = fake.hold();
    fake.enqueue({ text: ["Ship ", "checkout"], usage: { input: 400, output: 30 } });
    expect(
      (await post(`/conversations/${conversation.id}/messages`, { content: "What first?" })).status,
    ).toBe(200);
    await gate.reached;

    const pending = await server.deps.db.query.usageRecords.findFirst({
      where: (r, { eq }) => eq(r.conversationId, conversation.id),
    });
    expect(pending).toMatchObject({ status: "pending", agentId: pm!.id });
    const estimateUsd = microsToUsd(pending!.costMicros);
    expect(estimateUsd).toBeGreaterThan(0);
    const during = await get(`/projects/${projectId}`);
    expect(during.usage.totalCostUsd).toBeCloseTo(estimateUsd, 6);
    expect(during.stats.todayCostUsd).toBeCloseTo(estimateUsd, 6);
    expect(during.usage.byAgent).toEqual([
      expect.objectContaining({ agentId: pm!.id, calls: 1, totalCostUsd: during.usage.totalCostUsd }),
    ]);

    gate.release();
    await server.deps.engine.replies.idle();
    const reply = (await get(`/conversations/${conversation.id}/messages`)).items.find(
      (m: { authorType: string }) => m.authorType === "agent",
    );
    const after = await get(`/projects/${projectId}`);
    expect(after.usage).toMatchObject({
      totalTokens: 430,
      byModel: [expect.objectContaining({ totalTokens: 430, calls: 1 })],
      byAgent: [
        expect.objectContaining({ agentId: pm!.id, agentName: pm!.name, totalTokens: 430, calls: 1 }),
      ],
    });
    expect(after.usage.totalCostUsd).toBeCloseTo(reply.costUsd, 6);
    expect(after.usage.totalCostUsd).toBeLessThan(estimateUsd);
    const listed = (await get("/projects?limit=100")).items.find((p: { id: string }) => p.id === projectId);
    expect(listed.usage).toEqual({ totalTokens: 430, totalCostUsd: after.usage.totalCostUsd });
    const budgetAfter = await get("/budget/summary");
    expect(budgetAfter.today.spentUsd - budgetBefore.today.spentUsd).toBeCloseTo(reply.costUsd, 6);
    expect(budgetAfter.month.spentUsd - budgetBefore.month.spentUsd).toBeCloseTo(reply.costUsd, 6);
  });

  it("breaks a project's usage down by model and by agent, each call once in each", async () => {
    const { projectId, agents } = await createCrewConversation(server, owner.access_token, [
      "architect",
      "qa-engineer",
    ]);
    const [architect, qa] = agents;
    const base = { projectId, userId: owner.user.id, costMicros: 100_000 };
    const calls = [
      { agentId: architect!.id, model: "model-a", at: Date.now() },
      { agentId: architect!.id, model: "model-a", at: Date.now() - 2 * DAY_MS },
      { agentId: architect!.id, model: "model-b", at: Date.now() },
      { agentId: qa!.id, model: "model-a", at: Date.now() - 5 * DAY_MS },
    ];
    for (const [i, call] of calls.entries()) await insertUsage(server, { ...base, ...call, id: `mix-${i}` });

    const { usage } = await get(`/projects/${projectId}`);
    expect(usage.byModel).toEqual([
      { model: "model-a", totalTokens: 4500, totalCostUsd: 0.3, calls: 3 },
      { model: "model-b", totalTokens: 1500, totalCostUsd: 0.1, calls: 1 },
    ]);
    expect(usage.byAgent).toHaveLength(2);
    expect(usage.byAgent).toEqual(
      expect.arrayContaining([
        {
          agentId: architect!.id,
          agentName: architect!.name,
          totalTokens: 4500,
          totalCostUsd: 0.3,
          calls: 3,
        },
        { agentId: qa!.id, agentName: qa!.name, totalTokens: 1500, totalCostUsd: 0.1, calls: 1 },
      ]),
    );
    expect(usage).toMatchObject({ totalTokens: 6000, totalCostUsd: 0.4 });
  });

  it("counts an earlier day in the totals only, and keeps a deleted agent's spend under no agent", async () => {
    const { projectId, agents } = await createCrewConversation(server, owner.access_token, ["architect"]);
    const [architect] = agents;
    const base = { projectId, userId: owner.user.id, agentId: architect!.id };
    await insertUsage(server, { ...base, id: "usage-today", costMicros: 250_000, at: Date.now() });
    await insertUsage(server, {
      ...base,
      id: "usage-before",
      costMicros: 750_000,
      at: Date.now() - 3 * DAY_MS,
    });

    const detail = await get(`/projects/${projectId}`);
    expect(detail.usage).toMatchObject({ totalTokens: 3000, totalCostUsd: 1 });
    expect(detail.stats.todayCostUsd).toBe(0.25);
    expect(detail.usage.byModel).toEqual([
      { model: "claude-imported", totalTokens: 3000, totalCostUsd: 1, calls: 2 },
    ]);

    const deleted = await server.api("DELETE", `/projects/${projectId}/agents/${architect!.id}`, {
      token: owner.access_token,
    });
    expect(deleted.status).toBeLessThan(300);
    const afterDelete = await get(`/projects/${projectId}`);
    expect(afterDelete.usage).toMatchObject({
      totalTokens: 3000,
      totalCostUsd: 1,
      byAgent: [{ agentId: null, agentName: null, totalTokens: 3000, totalCostUsd: 1, calls: 2 }],
    });

    await server.deps.db.$client.execute("DELETE FROM usage_records WHERE id = 'usage-before'");
    const afterRemoval = await get(`/projects/${projectId}`);
    expect(afterRemoval.usage).toMatchObject({ totalTokens: 1500, totalCostUsd: 0.25 });
    expect(afterRemoval.usage.byModel).toEqual([
      { model: "claude-imported", totalTokens: 1500, totalCostUsd: 0.25, calls: 1 },
    ]);
  });
});

describe("figures of a database written before they were kept", () => {
  it("are computed at start-up and kept from then on", async () => {
    const first = await startTestServer();
    const owner = await registerUser(first);
    const project = await first.api("POST", "/projects", {
      token: owner.access_token,
      body: { name: "Old" },
    });
    const conversation = await first.api("POST", "/conversations", {
      token: owner.access_token,
      body: { title: "Old talk", projectId: project.body.id, initialMessage: "Hello" },
    });
    const agents = (
      await first.api("GET", `/projects/${project.body.id}/agents`, { token: owner.access_token })
    ).body.items as { id: string }[];
    await insertMessage(first, conversation.body.id, "old-message");
    const usage = { projectId: project.body.id, userId: owner.user.id, agentId: agents[0]!.id };
    await insertUsage(first, { ...usage, id: "old-usage", costMicros: 500_000, at: Date.now() });
    // What an older version left: no triggers, the new column at its default and no daily buckets.
    await first.deps.db.$client.executeMultiple(`
      DROP TRIGGER messages_count_on_insert; DROP TRIGGER messages_count_on_move; DROP TRIGGER messages_count_on_delete;
      DROP TRIGGER usage_daily_on_insert; DROP TRIGGER usage_daily_on_update; DROP TRIGGER usage_daily_on_delete;
      UPDATE conversations SET message_count = 0; DELETE FROM usage_daily;`);
    await first.close();

    const second = await startTestServer({ DATA_DIR: first.dataDir });
    try {
      const token = (
        await second.api("POST", "/auth/login", {
          body: { email: owner.email, password: owner.password },
        })
      ).body.access_token as string;
      const read = async (path: string) => (await second.api("GET", path, { token })).body;
      expect((await read(`/conversations/${conversation.body.id}`)).messageCount).toBe(2);
      expect((await read(`/projects/${project.body.id}`)).usage).toMatchObject({
        totalTokens: 1500,
        totalCostUsd: 0.5,
      });

      await insertMessage(second, conversation.body.id, "new-message");
      await insertUsage(second, { ...usage, id: "new-usage", costMicros: 250_000, at: Date.now() });
      expect((await read(`/conversations/${conversation.body.id}`)).messageCount).toBe(3);
      expect((await read(`/projects/${project.body.id}`)).usage).toMatchObject({
        totalTokens: 3000,
        totalCostUsd: 0.75,
      });
    } finally {
      await second.stop();
    }
  });
});
