// The usage and spend reports of §2.9 and the CSV export, over real HTTP: usage rows written across
// months, projects, agents, models and people (inserted as the engine and imports write them, so the
// database's own triggers keep the rollups), and every figure checked against sums written out here by
// hand, including midnights in zones behind UTC, at half hours, and across a daylight-saving change.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

let server: TestServer;
let admin: TestUser;
let owner: TestUser;
let member: TestUser;
let outsider: TestUser;
let projectA: { id: string; agents: Array<{ id: string }> };
let projectB: { id: string; agents: Array<{ id: string }> };
let taskOne: { id: string };
let taskTwo: { id: string };
let rowCount = 0;

const USD = 1_000_000;
const FORMULA_TITLE = '=HYPERLINK("http://evil.test","click")';

async function insertUsage(row: {
  projectId: string | null;
  userId: string;
  agentId: string | null;
  model: string;
  at: string | number;
  costMicros: number;
  taskId?: string;
  status?: "settled" | "pending";
}) {
  rowCount += 1;
  await server.deps.db.$client.execute({
    sql: `INSERT INTO usage_records (id, call_id, user_id, project_id, task_id, agent_id, provider, model,
            input_tokens, output_tokens, cache_read_tokens, cost_micros, duration_ms, outcome, status, created_at)
          VALUES (?, ?, ?, ?, ?, ?, 'anthropic', ?, 100, 50, 10, ?, 1200, 'success', ?, ?)`,
    args: [
      `usage-${rowCount}`,
      `call-${rowCount}`,
      row.userId,
      row.projectId,
      row.taskId ?? null,
      row.agentId,
      row.model,
      row.costMicros,
      row.status ?? "settled",
      typeof row.at === "number" ? row.at : Date.parse(row.at),
    ],
  });
}

const get = (path: string, user: TestUser) => server.api("GET", path, { token: user.access_token });
const costOf = (items: Array<{ id: string; totalCostUsd: number }>, id: string) =>
  items.find((i) => i.id === id)?.totalCostUsd;
const bucketCost = (buckets: Array<{ date: string; totalCostUsd: number }>, date: string) =>
  buckets.find((b) => b.date === date)?.totalCostUsd;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "100", RATE_LIMIT_GENERAL_PER_MINUTE: "100000" });
  admin = await registerUser(server, "usageadmin");
  owner = await registerUser(server, "usageowner");
  member = await registerUser(server, "usagemember");
  outsider = await registerUser(server, "usageoutsider");
  const t = { token: owner.access_token };
  const created = async (name: string) => {
    const res = await server.api("POST", "/projects", { ...t, body: { name } });
    const agents = await server.api("GET", `/projects/${res.body.id}/agents`, t);
    return { id: res.body.id as string, agents: agents.body.items as Array<{ id: string }> };
  };
  projectA = await created("Atlas Shop");
  projectB = await created("Borealis");
  await addMember(server, owner.access_token, projectA.id, member, "viewer");
  taskOne = (
    await server.api("POST", "/tasks", { ...t, body: { title: FORMULA_TITLE, projectId: projectA.id } })
  ).body;
  taskTwo = (await server.api("POST", "/tasks", { ...t, body: { title: "Second", projectId: projectA.id } }))
    .body;

  const [a1, a2] = projectA.agents.map((a) => a.id);
  const b1 = projectB.agents[0]?.id ?? null;
  const A = projectA.id;
  const B = projectB.id;
  const o = owner.user.id;
  const m = member.user.id;
  // New York: EST (UTC-5) until 2026-03-08 07:00Z, then EDT (UTC-4). Kolkata: UTC+5:30 all year.
  await insertUsage({
    projectId: A,
    userId: o,
    agentId: a1 ?? null,
    model: "m1",
    at: "2026-01-15T04:59:59.999Z",
    costMicros: 1 * USD,
    taskId: taskTwo.id,
  }); // NY Jan 14
  await insertUsage({
    projectId: A,
    userId: m,
    agentId: a1 ?? null,
    model: "m2",
    at: "2026-01-15T05:00:00.000Z",
    costMicros: 2 * USD,
    taskId: taskOne.id,
  }); // NY Jan 15
  await insertUsage({
    projectId: A,
    userId: o,
    agentId: a2 ?? null,
    model: "m1",
    at: "2026-03-09T03:59:59.999Z",
    costMicros: 4 * USD,
  }); // NY Mar 8 (23 h long)
  await insertUsage({
    projectId: A,
    userId: m,
    agentId: a2 ?? null,
    model: "m2",
    at: "2026-03-09T04:00:00.000Z",
    costMicros: 8 * USD,
  }); // NY Mar 9
  await insertUsage({
    projectId: B,
    userId: o,
    agentId: b1,
    model: "m1",
    at: "2026-03-08T05:00:00.000Z",
    costMicros: 16 * USD,
  }); // NY Mar 8 00:00 EST
  await insertUsage({
    projectId: A,
    userId: o,
    agentId: null,
    model: "m1",
    at: "2026-02-10T18:29:59.999Z",
    costMicros: 32 * USD,
  }); // Kolkata Feb 10
  await insertUsage({
    projectId: A,
    userId: o,
    agentId: a1 ?? null,
    model: "m2",
    at: "2026-02-10T18:30:00.000Z",
    costMicros: 64 * USD,
    taskId: taskOne.id,
  }); // Kolkata Feb 11
  await insertUsage({
    projectId: B,
    userId: o,
    agentId: b1,
    model: "m2",
    at: "2026-04-01T12:00:00.000Z",
    costMicros: 128 * USD,
  });
});

afterAll(() => server?.stop());

const RANGE = "startDate=2026-01-01&endDate=2026-04-30";

describe("usage analytics", () => {
  it("sums everything the owner may see by model, with a bucket for every day", async () => {
    const res = await get(`/usage/analytics?${RANGE}&groupBy=model`, owner);
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({
      calls: 8,
      totalCostUsd: 255,
      inputTokens: 800,
      outputTokens: 400,
    });
    expect(res.body.summary.totalTokens).toBe(8 * 160);
    expect(costOf(res.body.groups, "m1")).toBe(1 + 4 + 16 + 32);
    expect(costOf(res.body.groups, "m2")).toBe(2 + 8 + 64 + 128);
    expect(res.body.buckets).toHaveLength(31 + 28 + 31 + 30);
    expect(bucketCost(res.body.buckets, "2026-01-15")).toBe(3);
    expect(bucketCost(res.body.buckets, "2026-01-16")).toBe(0);
    const day = res.body.buckets.find((b: { date: string }) => b.date === "2026-03-09");
    expect(day.groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: "m1", totalCostUsd: 4 }),
        expect.objectContaining({ id: "m2", totalCostUsd: 8 }),
      ]),
    );
  });

  it("reads days in New York: midnight at 05:00Z in winter, a 23-hour day when clocks go forward", async () => {
    const winter = await get(
      "/usage/analytics?startDate=2026-01-14&endDate=2026-01-15&tz=America/New_York&groupBy=day",
      owner,
    );
    expect(winter.status).toBe(200);
    expect(
      winter.body.groups.map((g: { id: string; totalCostUsd: number }) => [g.id, g.totalCostUsd]),
    ).toEqual([
      ["2026-01-14", 1],
      ["2026-01-15", 2],
    ]);
    const spring = await get(
      "/usage/analytics?startDate=2026-03-07&endDate=2026-03-10&tz=America/New_York&groupBy=day",
      owner,
    );
    expect(spring.body.buckets.map((b: { totalCostUsd: number }) => b.totalCostUsd)).toEqual([
      0,
      4 + 16,
      8,
      0,
    ]);
    const changeDay = spring.body.buckets[1];
    expect(changeDay).toMatchObject({ start: "2026-03-08T05:00:00.000Z", end: "2026-03-09T04:00:00.000Z" });
    expect(spring.body.range).toMatchObject({ tz: "America/New_York", start: "2026-03-07T05:00:00.000Z" });
  });

  it("reads days in Kolkata, whose midnight falls on a half hour", async () => {
    const res = await get(
      "/usage/analytics?startDate=2026-02-10&endDate=2026-02-11&tz=Asia/Kolkata&groupBy=project",
      owner,
    );
    expect(res.status).toBe(200);
    expect(res.body.buckets.map((b: { totalCostUsd: number }) => b.totalCostUsd)).toEqual([32, 64]);
    expect(res.body.buckets[1].start).toBe("2026-02-10T18:30:00.000Z");
    expect(res.body.groups).toEqual([
      expect.objectContaining({ id: projectA.id, name: "Atlas Shop", totalCostUsd: 96 }),
    ]);
  });

  it("groups by week (from Mondays) and by month", async () => {
    const weeks = await get("/usage/analytics?startDate=2026-03-01&endDate=2026-03-15&groupBy=week", owner);
    expect(
      weeks.body.groups.map((g: { id: string; totalCostUsd: number }) => [g.id, g.totalCostUsd]),
    ).toEqual([
      ["2026-02-23", 0],
      ["2026-03-02", 16],
      ["2026-03-09", 12],
    ]);
    expect(weeks.body.buckets[0].start).toBe("2026-03-01T00:00:00.000Z");
    const months = await get(`/usage/analytics?${RANGE}&groupBy=month`, owner);
    expect(months.body.groups.map((g: { totalCostUsd: number }) => g.totalCostUsd)).toEqual([3, 96, 28, 128]);
  });

  it("groups by person and by agent, with a bucket for calls without an agent", async () => {
    const people = await get(`/usage/analytics?${RANGE}&groupBy=user`, owner);
    expect(costOf(people.body.groups, owner.user.id)).toBe(1 + 4 + 16 + 32 + 64 + 128);
    expect(costOf(people.body.groups, member.user.id)).toBe(2 + 8);
    const agents = await get(`/usage/analytics?${RANGE}&groupBy=agent`, owner);
    expect(costOf(agents.body.groups, "")).toBe(32);
    expect(agents.body.groups.find((g: { id: string }) => g.id === "").name).toBe("No agent");
  });

  it("shows a member their projects only, an outsider nothing, an administrator the site", async () => {
    const mine = await get(`/usage/analytics?${RANGE}&groupBy=project`, member);
    expect(mine.body.summary.totalCostUsd).toBe(1 + 2 + 4 + 8 + 32 + 64);
    expect(mine.body.groups.map((g: { id: string }) => g.id)).toEqual([projectA.id]);
    const none = await get(`/usage/analytics?${RANGE}&groupBy=project`, outsider);
    expect(none.body.summary).toMatchObject({ calls: 0, totalCostUsd: 0 });
    expect(none.body.groups).toEqual([]);
    expect(none.body.buckets).toHaveLength(120);
    const site = await get(`/usage/analytics?${RANGE}&groupBy=project`, admin);
    expect(site.body.summary.totalCostUsd).toBe(255);
  });

  it("refuses an unknown zone, reversed dates and too long a range with 400 in the contract's shape", async () => {
    for (const query of [
      "tz=Mars/Olympus",
      "tz=EST5EDT%3Bdrop",
      "startDate=2026-03-10&endDate=2026-03-01",
      "startDate=2024-01-01&endDate=2026-01-01",
      "startDate=2026-02-30&endDate=2026-03-01",
      "startDate=2026-02-01",
      "groupBy=colour",
    ]) {
      const res = await get(`/usage/analytics?${query}`, owner);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe("VALIDATION_ERROR");
      expect(res.body.error.requestId).toBeTruthy();
    }
  });
});

describe("budget breakdowns and timeline", () => {
  it("spend per project and per agent", async () => {
    const projects = await get(`/budget/by-project?${RANGE}`, owner);
    expect(projects.status).toBe(200);
    const byProject = Object.fromEntries(
      projects.body.items.map((i: { projectId: string; totalCostUsd: number }) => [
        i.projectId,
        i.totalCostUsd,
      ]),
    );
    expect(byProject).toEqual({ [projectA.id]: 111, [projectB.id]: 144 });
    const agents = await get(`/budget/by-agent?${RANGE}`, owner);
    const byAgent = Object.fromEntries(
      agents.body.items.map((i: { agentId: string | null; totalCostUsd: number }) => [
        i.agentId ?? "none",
        i.totalCostUsd,
      ]),
    );
    expect(byAgent).toEqual({
      [projectA.agents[0]!.id]: 1 + 2 + 64,
      [projectA.agents[1]!.id]: 12,
      [projectB.agents[0]!.id]: 144,
      none: 32,
    });
    const b1 = agents.body.items.find((i: { agentId: string }) => i.agentId === projectB.agents[0]!.id);
    expect(b1).toMatchObject({ projectId: projectB.id, projectName: "Borealis" });
    const memberView = await get(`/budget/by-agent?${RANGE}`, member);
    expect(memberView.body.items.some((i: { projectId: string }) => i.projectId === projectB.id)).toBe(false);
  });

  it("a timeline per month in the caller's zone, every month present", async () => {
    const res = await get(
      "/budget/timeline?startDate=2025-12-01&endDate=2026-05-31&granularity=month&tz=America/New_York",
      owner,
    );
    expect(res.status).toBe(200);
    expect(res.body.buckets.map((b: { date: string; spentUsd: number }) => [b.date, b.spentUsd])).toEqual([
      ["2025-12-01", 0],
      ["2026-01-01", 3],
      ["2026-02-01", 96],
      ["2026-03-01", 28],
      ["2026-04-01", 128],
      ["2026-05-01", 0],
    ]);
    expect(res.body.buckets[1].start).toBe("2026-01-01T05:00:00.000Z");
  });
});

describe("a project's and a task's usage", () => {
  it("a project's figures by model, agent and person, per day, and its costliest tasks", async () => {
    const res = await get(`/usage/projects/${projectA.id}?${RANGE}`, member);
    expect(res.status).toBe(200);
    expect(res.body.project).toMatchObject({ id: projectA.id, name: "Atlas Shop", totalCostUsd: 111 });
    expect(res.body.summary.totalCostUsd).toBe(111);
    expect(costOf(res.body.byModel, "m1")).toBe(1 + 4 + 32);
    expect(costOf(res.body.byModel, "m2")).toBe(2 + 8 + 64);
    expect(costOf(res.body.byUser, owner.user.id)).toBe(1 + 4 + 32 + 64);
    expect(costOf(res.body.byUser, member.user.id)).toBe(10);
    expect(res.body.dailyTrends).toHaveLength(120);
    expect(
      res.body.topTasks.map((t: { taskId: string; totalCostUsd: number }) => [t.taskId, t.totalCostUsd]),
    ).toEqual([
      [taskOne.id, 66],
      [taskTwo.id, 1],
    ]);
  });

  it("a project is 404 to those outside it", async () => {
    expect((await get(`/usage/projects/${projectB.id}`, member)).status).toBe(404);
    expect((await get(`/usage/projects/${projectA.id}`, outsider)).body.error.code).toBe(
      "RESOURCE_NOT_FOUND",
    );
  });

  it("a task's calls by agent and in order", async () => {
    const res = await get(`/usage/tasks/${taskOne.id}`, member);
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ totalCostUsd: 66, calls: 2, agentsExecuted: 1 });
    expect(res.body.byAgent).toEqual([
      expect.objectContaining({ agentId: projectA.agents[0]!.id, executions: 2, totalCostUsd: 66 }),
    ]);
    expect(res.body.timeline.map((c: { costUsd: number }) => c.costUsd)).toEqual([2, 64]);
    expect((await get(`/usage/tasks/${taskOne.id}`, outsider)).status).toBe(404);
  });
});

describe("the last hour and agent metrics", () => {
  it("the last hour per minute and the calls running now", async () => {
    const now = Date.now();
    await insertUsage({
      projectId: projectA.id,
      userId: owner.user.id,
      agentId: null,
      model: "m3",
      at: now - 120_000,
      costMicros: 500_000,
    });
    await insertUsage({
      projectId: projectB.id,
      userId: owner.user.id,
      agentId: null,
      model: "m3",
      at: now - 1000,
      costMicros: 250_000,
      status: "pending",
    });
    const res = await get("/usage/realtime", member);
    expect(res.status).toBe(200);
    expect(res.body.minutes).toHaveLength(60);
    expect(res.body.summary).toMatchObject({ calls: 1, totalCostUsd: 0.5 });
    expect(res.body.running).toEqual([]);
    const ownerView = await get("/usage/realtime", owner);
    expect(ownerView.body.summary).toMatchObject({ calls: 2, totalCostUsd: 0.75 });
    expect(ownerView.body.running).toEqual([
      expect.objectContaining({ model: "m3", projectId: projectB.id, estimatedCostUsd: 0.25 }),
    ]);
  });

  it("each visible agent's spend in the range", async () => {
    const res = await get(`/analytics/agents?${RANGE}`, member);
    expect(res.status).toBe(200);
    const ids = res.body.agents.map((a: { id: string }) => a.id);
    expect(ids).toContain(projectA.agents[0]!.id);
    expect(ids).not.toContain(projectB.agents[0]!.id);
    const first = res.body.agents.find((a: { id: string }) => a.id === projectA.agents[0]!.id);
    expect(first.metrics).toMatchObject({
      totalCostUsd: 67,
      totalMessages: 0,
      tasksCompleted: 0,
      successRate: null,
    });
  });
});

describe("the CSV export", () => {
  const download = (path: string, user: TestUser) =>
    fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${user.access_token}` } });

  it("one row per call with every field, formula cells escaped, named for the project and range", async () => {
    const res = await download(`/usage/projects/${projectA.id}/export?${RANGE}`, member);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="crewdeck-usage-atlas-shop-2026-01-01-to-2026-04-30.csv"',
    );
    const rows = parse(await res.text(), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => Number(r.cost_usd)).reduce((a, b) => a + b, 0)).toBe(111);
    expect(rows[0]).toMatchObject({
      call_id: "call-1",
      created_at: "2026-01-15T04:59:59.999Z",
      input_tokens: "100",
      output_tokens: "50",
      cache_read_tokens: "10",
      total_tokens: "160",
      model: "m1",
      project_name: "Atlas Shop",
      duration_ms: "1200",
    });
    const formula = rows.find((r) => r.task_id === taskOne.id);
    expect(formula?.task_title).toBe(`'${FORMULA_TITLE}`);
  });

  it("a task's calls, the site's for an administrator, and a member's own projects' for a member", async () => {
    const task = await download(`/usage/tasks/${taskOne.id}/export`, owner);
    expect(task.status).toBe(200);
    expect(parse(await task.text(), { columns: true })).toHaveLength(2);
    const site = await download(`/usage/export?${RANGE}&tz=Asia/Kolkata`, admin);
    expect(site.status).toBe(200);
    expect(parse(await site.text(), { columns: true })).toHaveLength(8);
    // A member downloads what their reports count: their projects' calls and no one else's.
    const mine = await download(`/usage/export?${RANGE}`, member);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-disposition")).toContain("crewdeck-usage-mine-");
    const memberRows = parse(await mine.text(), { columns: true }) as Array<Record<string, string>>;
    const counted = await get(`/usage/analytics?${RANGE}&groupBy=project`, member);
    expect(memberRows).toHaveLength(counted.body.summary.calls);
    expect(memberRows.length).toBeGreaterThan(0);
    expect(new Set(memberRows.map((r) => r.project_id))).toEqual(new Set([projectA.id]));
    const nothing = await download(`/usage/export?${RANGE}`, outsider);
    expect(parse(await nothing.text(), { columns: true })).toHaveLength(0);
  });

  it("is 404 outside the project and 400 for a bad zone", async () => {
    expect((await download(`/usage/projects/${projectB.id}/export`, member)).status).toBe(404);
    expect((await download(`/usage/tasks/${taskOne.id}/export`, outsider)).status).toBe(404);
    const bad = await download(`/usage/projects/${projectA.id}/export?tz=Nowhere/Land`, owner);
    expect(bad.status).toBe(400);
  });

  it("streams more calls than one page", async () => {
    const values = Array.from({ length: 2500 }, (_, i) => i);
    const base = Date.parse("2026-05-10T00:00:00Z");
    await server.deps.db.$client.batch(
      values.map((i) => ({
        sql: `INSERT INTO usage_records (id, user_id, project_id, provider, model, cost_micros, outcome, status, created_at)
              VALUES (?, ?, ?, 'anthropic', 'bulk', 1, 'success', 'settled', ?)`,
        args: [`bulk-${i}`, owner.user.id, projectB.id, base + Math.floor(i / 3)],
      })),
      "write",
    );
    const res = await download(
      `/usage/projects/${projectB.id}/export?startDate=2026-05-10&endDate=2026-05-10`,
      owner,
    );
    const rows = parse(await res.text(), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((r) => r.call_id)).size).toBe(2500);
  });
});

describe("figures follow their rows", () => {
  it("a call settled at another cost, moved to another hour, or deleted changes every report", async () => {
    const A = projectA.id;
    const o = owner.user.id;
    await insertUsage({
      projectId: A,
      userId: o,
      agentId: null,
      model: "m9",
      at: "2026-06-10T10:15:00.000Z",
      costMicros: 5 * USD,
      status: "pending",
    });
    const id = `usage-${rowCount}`;
    await insertUsage({
      projectId: A,
      userId: o,
      agentId: null,
      model: "m9",
      at: "2026-06-10T23:30:00.000Z",
      costMicros: 7 * USD,
    });
    const gone = `usage-${rowCount}`;
    const june = (tz: string) =>
      get(`/usage/analytics?startDate=2026-06-09&endDate=2026-06-11&tz=${tz}&groupBy=day`, owner);
    const costs = async (tz: string) =>
      (await june(tz)).body.buckets.map((b: { totalCostUsd: number }) => b.totalCostUsd);
    expect(await costs("UTC")).toEqual([0, 12, 0]);
    expect(await costs("Asia/Kolkata")).toEqual([0, 5, 7]);

    const db = server.deps.db.$client;
    await db.execute({
      sql: "UPDATE usage_records SET cost_micros = ?, status = 'settled' WHERE id = ?",
      args: [3 * USD, id],
    });
    expect(await costs("UTC")).toEqual([0, 10, 0]);
    // Moved to 20:00Z: still June 10 in UTC, but June 11 in Kolkata (01:30 local).
    await db.execute({
      sql: "UPDATE usage_records SET created_at = ? WHERE id = ?",
      args: [Date.parse("2026-06-10T20:00:00.000Z"), id],
    });
    expect(await costs("Asia/Kolkata")).toEqual([0, 0, 10]);
    await db.execute({ sql: "DELETE FROM usage_records WHERE id = ?", args: [gone] });
    expect(await costs("UTC")).toEqual([0, 3, 0]);
    expect(await costs("America/New_York")).toEqual([0, 3, 0]);
    const left = await db.execute(
      "SELECT (SELECT count(*) FROM usage_shifted_daily WHERE model = 'm9') AS windows, (SELECT count(*) FROM usage_hourly WHERE model = 'm9') AS hours",
    );
    // One call left: one window per shift and one hour; emptied buckets are gone.
    expect(left.rows[0]).toMatchObject({ windows: 24, hours: 1 });
  });
});
