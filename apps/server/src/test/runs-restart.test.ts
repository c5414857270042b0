// Durable runs: a server process killed with SIGKILL in the middle of a run, then started again over the
// same data, goes on from the step under way. No finished step runs again and no call is charged twice; the
// call the kill cut off is charged at its reservation's estimate.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase } from "@crewdeck/db";
import { type FakeAnthropic, startFakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, type Child, killed, startChild } from "./child-server";
import { until } from "./live-events";
import { DEFAULT_PIPELINE_ROLES, ROLE_ANSWERS } from "./role-answers";

describe("a run survives SIGKILL", () => {
  let fake: FakeAnthropic;
  let dataDir: string;
  let env: Record<string, string>;
  const children: Child[] = [];

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKey: "sk-ant-restart" });
    dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-restart-"));
    env = { DATA_DIR: dataDir, ANTHROPIC_API_KEY: "sk-ant-restart", ANTHROPIC_BASE_URL: fake.url };
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.process.exitCode === null && child.process.signalCode === null) await killed(child);
    }
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("resumes at the step under way, never re-running a finished step or charging a call twice", async () => {
    const first = await startChild(env);
    children.push(first);
    const reg = await api(first, "POST", "/auth/register", undefined, {
      email: "restart@example.test",
      username: "restart",
      password: "correct horse battery",
    });
    const token = reg.body.access_token as string;
    const project = await api(first, "POST", "/projects", token, { name: "Restart" });
    const task = await api(first, "POST", "/tasks", token, {
      title: "Survive a crash",
      projectId: project.body.id,
    });
    const taskId = task.body.id as string;

    const usage = (i: number) => ({ input: 500 + i, output: 50 + i, cacheRead: 0, cacheWrite: 0 });
    fake.enqueue(
      { text: ROLE_ANSWERS[DEFAULT_PIPELINE_ROLES[0]], usage: usage(0) },
      { text: ROLE_ANSWERS[DEFAULT_PIPELINE_ROLES[1]], usage: usage(1) },
      // Step 3 streams slowly: the process dies in the middle of it.
      { text: Array(200).fill("word "), chunkDelayMs: 50, usage: usage(99) },
    );
    const before = fake.requests.length;
    expect((await api(first, "POST", `/tasks/${taskId}/start`, token, {})).status).toBe(200);
    await until("step 3 streaming", async () => {
      const o = await api(first, "GET", `/tasks/${taskId}/orchestration`, token);
      return o.body.steps[2]?.status === "running" && fake.requests.length - before === 3 ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    await killed(first);

    fake.enqueue(
      ...DEFAULT_PIPELINE_ROLES.slice(2).map((role, i) => ({
        text: ROLE_ANSWERS[role],
        usage: usage(i + 2),
      })),
    );
    const second = await startChild(env);
    children.push(second);
    const status = await until("the run to complete", async () => {
      const s = await api(second, "GET", `/tasks/${taskId}/status`, token);
      return s.body.runStatus === "completed" ? s.body : undefined;
    });
    expect(status).toMatchObject({
      status: "review",
      isComplete: true,
      progress: { completed: 6, total: 6 },
    });

    // Steps 1 and 2 ran once; step 3 once before the kill and once after; then 4, 5, 6.
    expect(fake.requests.length - before).toBe(7);
    const orchestration = await api(second, "GET", `/tasks/${taskId}/orchestration`, token);
    expect(orchestration.body.steps.map((s: { attempts: number }) => s.attempts)).toEqual([1, 1, 2, 1, 1, 1]);
    expect(
      orchestration.body.logs.some((l: { message: string }) =>
        /Server restarted; resuming at step 3/.test(l.message),
      ),
    ).toBe(true);
    await killed(second);

    // Charged: the six finished calls, with the numbers the provider reported for them, and the call the
    // kill cut off at its reservation (it may well have been billed).
    const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
    try {
      const records = await db.query.usageRecords.findMany({ where: (r, { eq }) => eq(r.taskId, taskId) });
      const settled = records.filter((r) => r.status === "settled");
      expect(settled.map((r) => r.inputTokens).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => usage(i).input));
      const estimated = records.filter((r) => r.status === "estimated");
      expect(estimated).toHaveLength(1);
      expect(records).toHaveLength(7);
      const cut = await db.query.budgetReservations.findFirst({
        where: (r, { eq }) => eq(r.id, estimated[0]!.callId!),
      });
      expect(estimated[0]).toMatchObject({ outcome: "interrupted", costMicros: cut!.amountMicros });
      const held = await db.query.budgetReservations.findMany({ where: (r, { eq }) => eq(r.status, "held") });
      expect(held).toHaveLength(0);
      const steps = await db.query.runSteps.findMany();
      expect(steps.every((s) => s.status === "completed")).toBe(true);
    } finally {
      db.$client.close();
    }
  }, 90_000);
});
