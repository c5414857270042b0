// The two usage reads made cheaper in issue 16's leftovers, checked over real HTTP against answers worked out
// here: the calls running now when more than a page of them are pending (read through a partial index of the
// pending rows), and a month in Kolkata, whose midnights fall on a half hour, summed by hand from the rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer } from "./harness";

type User = Awaited<ReturnType<typeof registerUser>>;
type Row = {
  projectId: string;
  userId: string;
  agentId: string | null;
  model: string;
  at: number;
  costMicros: number;
  status: "settled" | "pending";
};

let server: TestServer;
let owner: User;
let member: User;
let projectA: { id: string; agents: string[] };
let projectB: { id: string; agents: string[] };
let rowCount = 0;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

async function insertUsage(rows: Row[]) {
  await server.deps.db.$client.batch(
    rows.map((row) => {
      rowCount += 1;
      return {
        sql: `INSERT INTO usage_records (id, call_id, user_id, project_id, agent_id, provider, model, input_tokens,
                output_tokens, cache_read_tokens, cost_micros, outcome, status, created_at)
              VALUES (?, ?, ?, ?, ?, 'anthropic', ?, 100, 50, 10, ?, 'success', ?, ?)`,
        args: [
          `reads-${rowCount}`,
          `reads-call-${rowCount}`,
          row.userId,
          row.projectId,
          row.agentId,
          row.model,
          row.costMicros,
          row.status,
          row.at,
        ],
      };
    }),
    "write",
  );
}

const get = (path: string, user: User) => server.api("GET", path, { token: user.access_token });

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "100", RATE_LIMIT_GENERAL_PER_MINUTE: "100000" });
  owner = await registerUser(server, "readsowner");
  member = await registerUser(server, "readsmember");
  const t = { token: owner.access_token };
  const created = async (name: string) => {
    const res = await server.api("POST", "/projects", { ...t, body: { name } });
    const agents = await server.api("GET", `/projects/${res.body.id}/agents`, t);
    return {
      id: res.body.id as string,
      agents: (agents.body.items as Array<{ id: string }>).map((a) => a.id),
    };
  };
  projectA = await created("Atlas");
  projectB = await created("Borealis");
  await addMember(server, owner.access_token, projectA.id, member, "viewer");
});

afterAll(async () => {
  await server?.close();
});

describe("the calls running now", () => {
  it("lists the 100 oldest pending calls the viewer may see, past many settled ones", async () => {
    const now = Date.now();
    const rows: Row[] = [];
    // 20 pending calls in Borealis older than all of Atlas's, which the member may not see.
    for (let i = 0; i < 20; i++) {
      rows.push({
        projectId: projectB.id,
        userId: owner.user.id,
        agentId: projectB.agents[0] ?? null,
        model: "hidden",
        at: now - 50 * MINUTE_MS + i,
        costMicros: 1,
        status: "pending",
      });
    }
    // 130 pending calls in Atlas, written newest first so the order read is not the order written, and 600
    // settled calls around them.
    for (let i = 129; i >= 0; i--) {
      rows.push({
        projectId: projectA.id,
        userId: owner.user.id,
        agentId: projectA.agents[i % projectA.agents.length] ?? null,
        model: `m${i}`,
        at: now - 40 * MINUTE_MS + i * 1000,
        costMicros: 1000 + i,
        status: "pending",
      });
    }
    for (let i = 0; i < 600; i++) {
      rows.push({
        projectId: i % 2 ? projectA.id : projectB.id,
        userId: owner.user.id,
        agentId: null,
        model: "settled",
        at: now - 55 * MINUTE_MS + i * 5000,
        costMicros: 10,
        status: "settled",
      });
    }
    await insertUsage(rows);

    const seen = await get("/usage/realtime", member);
    expect(seen.status).toBe(200);
    const running = seen.body.running as Array<{ model: string; projectId: string; startedAt: string }>;
    expect(running).toHaveLength(100);
    expect(running.map((c) => c.model)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
    expect(running.every((c) => c.projectId === projectA.id)).toBe(true);
    expect(running[0]).toMatchObject({ startedAt: new Date(now - 40 * MINUTE_MS).toISOString() });

    const all = await get("/usage/realtime", owner);
    const allRunning = all.body.running as Array<{ model: string; estimatedCostUsd: number }>;
    expect(allRunning.map((c) => c.model)).toEqual([
      ...Array.from({ length: 20 }, () => "hidden"),
      ...Array.from({ length: 80 }, (_, i) => `m${i}`),
    ]);
    // Every call of the hour counts in the minutes, pending or settled.
    expect(all.body.summary.calls).toBe(750);
    expect(seen.body.summary.calls).toBe(430);
  });
});

describe("a month in zones at half and quarter hours", () => {
  it("each day and each agent sums the rows of its local day in Kolkata and Kathmandu, edges included", async () => {
    const first = Date.parse("2026-04-01T00:00:00.000Z");
    const rows: Row[] = [];
    // Around every local midnight (18:30Z) to the millisecond, and a call at noon, from the day before the
    // month to the day after, in both projects, on three agents and two models.
    const offsets = [
      -HOUR_MS,
      -1,
      0,
      14 * MINUTE_MS,
      15 * MINUTE_MS - 1,
      15 * MINUTE_MS,
      29 * MINUTE_MS,
      30 * MINUTE_MS - 1,
      30 * MINUTE_MS,
      30 * MINUTE_MS + 1,
      45 * MINUTE_MS,
      HOUR_MS - 1,
      HOUR_MS,
      -6 * HOUR_MS,
    ];
    let cost = 1;
    for (let day = -2; day <= 31; day++) {
      const sixPm = first + day * DAY_MS + 18 * HOUR_MS;
      for (const offset of offsets) {
        const project = cost % 5 === 0 ? projectB : projectA;
        rows.push({
          projectId: project.id,
          userId: cost % 3 === 0 ? member.user.id : owner.user.id,
          agentId: project.agents[cost % 3] ?? null,
          model: cost % 2 ? "sonnet" : "haiku",
          at: sixPm + offset,
          costMicros: cost * 1000,
          status: cost % 7 === 0 ? "pending" : "settled",
        });
        cost += 1;
      }
    }
    await insertUsage(rows);

    // Kolkata is UTC+5:30 (its days read half hours from the rows), Kathmandu UTC+5:45 (quarter hours).
    for (const [tz, offsetMs, firstStart] of [
      ["Asia/Kolkata", 5.5 * HOUR_MS, "2026-03-31T18:30:00.000Z"],
      ["Asia/Kathmandu", 5.75 * HOUR_MS, "2026-03-31T18:15:00.000Z"],
    ] as const) {
      const localDate = (at: number) => new Date(at + offsetMs).toISOString().slice(0, 10);
      const inApril = (row: Row) => localDate(row.at).startsWith("2026-04");
      const usd = (micros: number) => micros / 1_000_000;
      const byDay = (visible: Row[]) => {
        const days = new Map<string, number>();
        for (let d = 1; d <= 30; d++) days.set(`2026-04-${String(d).padStart(2, "0")}`, 0);
        for (const row of visible.filter(inApril)) {
          days.set(localDate(row.at), (days.get(localDate(row.at)) ?? 0) + row.costMicros);
        }
        return [...days.entries()].map(([date, micros]) => [date, usd(micros)]);
      };
      const byAgent = (visible: Row[]) => {
        const agents = new Map<string, number>();
        for (const row of visible.filter(inApril)) {
          agents.set(row.agentId ?? "", (agents.get(row.agentId ?? "") ?? 0) + row.costMicros);
        }
        return [...agents.entries()].map(([id, micros]) => [id, usd(micros)]).sort();
      };
      const range = `startDate=2026-04-01&endDate=2026-04-30&tz=${tz}`;

      for (const [user, visible] of [
        [owner, rows],
        [member, rows.filter((r) => r.projectId === projectA.id)],
      ] as const) {
        const days = await get(`/usage/analytics?${range}&groupBy=day`, user);
        expect(days.status).toBe(200);
        expect(days.body.buckets[0].start).toBe(firstStart);
        expect(
          days.body.buckets.map((b: { date: string; totalCostUsd: number }) => [b.date, b.totalCostUsd]),
        ).toEqual(byDay(visible));
        const agents = await get(`/usage/analytics?${range}&groupBy=agent`, user);
        expect(
          agents.body.groups.map((g: { id: string; totalCostUsd: number }) => [g.id, g.totalCostUsd]).sort(),
        ).toEqual(byAgent(visible));
        expect(agents.body.summary.calls).toBe(visible.filter(inApril).length);
      }
    }
  });
});
