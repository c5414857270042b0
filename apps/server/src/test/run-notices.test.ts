// The notices a run's starter gets (issue 16): finished, cancelled by someone else, stopped by an emergency
// stop; each honours the person's choice. Real runs against the local Anthropic fake, so the same calls also
// show in the task's usage report, written by the real model-call path.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  apiAs,
  registerUser,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
} from "./harness";
import { DEFAULT_PIPELINE_ROLES, ROLE_ANSWERS } from "./role-answers";

describe("run notices", () => {
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let admin: TestUser;
  let owner: TestUser;
  let maintainer: TestUser;

  beforeAll(async () => {
    ({ server, fake, stop } = await startTestServerWithModel({ RATE_LIMIT_REGISTER_MAX: "1000" }));
    admin = await registerUser(server);
    owner = await registerUser(server);
    maintainer = await registerUser(server);
  });
  afterAll(() => stop());

  const api = apiAs(() => server);
  const types = async (user: TestUser) =>
    (await api(user, "GET", "/notifications")).body.items.map((n: { type: string }) => n.type) as string[];
  const settle = () => server.deps.engine.steps.idle();

  async function newTask(title: string) {
    const project = await api(owner, "POST", "/projects", { name: title });
    await addMember(server, owner.access_token, project.body.id, maintainer, "maintainer");
    const task = await api(owner, "POST", "/tasks", { title, projectId: project.body.id });
    return task.body as { id: string };
  }

  it("a finished run tells its starter, once; its calls are in the task's usage report", async () => {
    const task = await newTask("Checkout");
    fake.enqueue(
      ...DEFAULT_PIPELINE_ROLES.map((role) => ({
        text: ROLE_ANSWERS[role] as string,
        usage: { input: 1000, output: 100, cacheRead: 0, cacheWrite: 0 },
      })),
    );
    const before = await types(owner);
    expect((await api(owner, "POST", `/tasks/${task.id}/start`)).status).toBe(200);
    await settle();
    expect((await types(owner)).slice(0, -before.length || undefined)).toEqual(["run_completed"]);
    expect(await types(maintainer)).not.toContain("run_completed");

    const usage = await api(maintainer, "GET", `/usage/tasks/${task.id}`);
    expect(usage.status).toBe(200);
    expect(usage.body.summary).toMatchObject({ calls: 6, inputTokens: 6000, outputTokens: 600 });
    expect(usage.body.summary.agentsExecuted).toBe(6);
    const records = await server.deps.db.query.usageRecords.findMany({
      where: (row, { eq }) => eq(row.taskId, task.id),
    });
    expect(usage.body.summary.totalCostUsd).toBeCloseTo(
      records.reduce((n, r) => n + r.costMicros, 0) / 1_000_000,
      9,
    );

    // Each agent of the crew took one step of the completed run: one message, one task, every run a success.
    const agents = await api(maintainer, "GET", "/analytics/agents?timeRange=1");
    expect(agents.status).toBe(200);
    const crew = agents.body.agents.filter(
      (a: { metrics: { tasksCompleted: number } }) => a.metrics.tasksCompleted > 0,
    );
    expect(crew).toHaveLength(6);
    for (const agent of crew) {
      expect(agent.metrics).toMatchObject({
        totalMessages: 1,
        tasksCompleted: 1,
        runsEnded: 1,
        successRate: 1,
      });
      const own = records.filter((r) => r.agentId === agent.id).reduce((n, r) => n + r.costMicros, 0);
      expect(agent.metrics.totalCostUsd).toBeCloseTo(own / 1_000_000, 9);
      expect(agent.metrics.avgCostPerMessageUsd).toBeCloseTo(own / 1_000_000, 6);
    }
  });

  it("a run cancelled by someone else tells its starter, not the one who cancelled", async () => {
    const task = await newTask("Search");
    const gate = fake.hold();
    await api(owner, "POST", `/tasks/${task.id}/start`);
    await gate.reached;
    const cancelled = await api(maintainer, "POST", `/tasks/${task.id}/cancel`);
    expect(cancelled.status).toBe(200);
    await settle();
    gate.release();
    expect(await types(owner)).toContain("run_cancelled");
    expect(await types(maintainer)).not.toContain("run_cancelled");
    const [notice] = (await api(owner, "GET", "/notifications")).body.items;
    expect(notice).toMatchObject({ type: "run_cancelled", data: { taskId: task.id } });
  });

  it("an emergency stop tells the starter their run was stopped, unless they turned that off", async () => {
    const task = await newTask("Emergency");
    const gate = fake.hold();
    await api(owner, "POST", `/tasks/${task.id}/start`);
    await gate.reached;
    const paused = await api(admin, "POST", "/emergency/pause-all", {});
    expect(paused.status).toBe(200);
    gate.release();
    await settle();
    expect(await types(owner)).toContain("run_stopped");
    await api(admin, "POST", "/emergency/resume-all", {});
    await settle();

    await api(owner, "PATCH", "/notifications/preferences", {
      preferences: [
        { kind: "run_stopped", enabled: false },
        { kind: "run_cancelled", enabled: false },
      ],
    });
    await api(owner, "POST", "/notifications/read-all");
    const quiet = await newTask("Quiet");
    const second = fake.hold();
    await api(owner, "POST", `/tasks/${quiet.id}/start`);
    await second.reached;
    await api(admin, "POST", "/emergency/pause-all", {});
    second.release();
    await settle();
    await api(maintainer, "POST", `/tasks/${quiet.id}/cancel`);
    await settle();
    const unread = (await api(owner, "GET", "/notifications?isRead=false")).body.items;
    expect(unread.map((n: { type: string }) => n.type)).toEqual([]);
    await api(admin, "POST", "/emergency/resume-all", {});
  });
});
