// A chat reply cut off by SIGKILL mid-stream, then the server started again over the same data: the cut-off
// reply is marked failed with what it had streamed, the person's message is answered again (once), and the
// call that died is charged at its reservation's estimate, so a crash under-counts nothing.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase } from "@crewdeck/db";
import { type FakeAnthropic, startFakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, type Child, killed, startChild } from "./child-server";
import { until } from "./live-events";

type Message = { id: string; authorType: string; content: string; status: string; replyTo: string | null };

describe("a chat reply survives SIGKILL", () => {
  let fake: FakeAnthropic;
  let dataDir: string;
  let env: Record<string, string>;
  const children: Child[] = [];

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKey: "sk-ant-chat-restart" });
    dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-chat-restart-"));
    env = { DATA_DIR: dataDir, ANTHROPIC_API_KEY: "sk-ant-chat-restart", ANTHROPIC_BASE_URL: fake.url };
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.process.exitCode === null && child.process.signalCode === null) await killed(child);
    }
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("marks the cut-off reply, answers the message again once, and charges the dead call at its estimate", async () => {
    const first = await startChild(env);
    children.push(first);
    const reg = await api(first, "POST", "/auth/register", undefined, {
      email: "chat-restart@example.test",
      username: "chatrestart",
      password: "correct horse battery",
    });
    const token = reg.body.access_token as string;
    const project = await api(first, "POST", "/projects", token, { name: "Restart chat" });
    const crew = await api(first, "GET", `/projects/${project.body.id}/agents`, token);
    const pm = crew.body.items.find((a: { role: string }) => a.role === "product-manager");
    const conversation = await api(first, "POST", "/conversations", token, {
      title: "Planning",
      projectId: project.body.id,
      agentIds: [pm.id],
    });
    const conversationId = conversation.body.id as string;

    // The reply streams its first words, then hangs: the process dies in the middle of it.
    const hung = fake.hold(() => false);
    fake.enqueue({ id: "msg_cut", text: ["Partial ", "answer"], gate: hung });
    const posted = await api(first, "POST", `/conversations/${conversationId}/messages`, token, {
      content: "What ships first?",
    });
    expect(posted.status).toBe(200);
    await hung.reached;
    // The streamed words reach the event log before the process dies.
    await new Promise((r) => setTimeout(r, 500));
    const sentBefore = fake.requests.length;
    await killed(first);

    fake.enqueue({ id: "msg_again", text: "The login page ships first.", usage: { input: 400, output: 9 } });
    const second = await startChild(env);
    children.push(second);
    const messages = async () =>
      (await api(second, "GET", `/conversations/${conversationId}/messages?limit=100`, token)).body
        .items as Message[];
    const answered = await until("the message to be answered again", async () => {
      const agents = (await messages()).filter((m) => m.authorType === "agent");
      return agents.some((m) => m.status === "complete") ? agents : undefined;
    });
    // Newest first: the new answer, then the reply that was cut off.
    expect(answered.map((m) => [m.status, m.content, m.replyTo])).toEqual([
      ["complete", "The login page ships first.", posted.body.id],
      ["error", "Partial \n\n(The reply was cut off when the server stopped.)", posted.body.id],
    ]);
    expect(fake.requests.length - sentBefore).toBe(1);
    // The retried request does not carry the fragment as the agent's own words.
    expect(JSON.stringify(fake.requests.at(-1)?.body)).not.toContain("Partial");

    // The banner's spend today includes the estimate of the call that died.
    const summary = await api(second, "GET", "/budget/summary", token);
    await killed(second);

    const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
    try {
      const records = await db.query.usageRecords.findMany({
        where: (r, { eq }) => eq(r.conversationId, conversationId),
        orderBy: (r, { asc }) => asc(r.createdAt),
      });
      expect(records.map((r) => [r.status, r.outcome, r.providerMessageId])).toEqual([
        ["estimated", "interrupted", null],
        ["settled", "success", "msg_again"],
      ]);
      const [cut, again] = records;
      const reservation = await db.query.budgetReservations.findFirst({
        where: (r, { eq }) => eq(r.id, cut!.callId!),
      });
      expect(reservation).toMatchObject({ status: "settled" });
      expect(cut!.costMicros).toBe(reservation!.amountMicros);
      expect(cut!.costMicros).toBeGreaterThan(0);
      expect(summary.body.today.spentUsd).toBeCloseTo((cut!.costMicros + again!.costMicros) / 1e6, 6);
      const open = await db.query.budgetReservations.findMany({ where: (r, { eq }) => eq(r.status, "held") });
      expect(open).toEqual([]);
    } finally {
      db.$client.close();
    }
  }, 90_000);
});
