// A 30-day usage report over 1,000,000 usage rows (issue 16: ≤ 100 ms p99 through HTTP). Each report is called
// through the real HTTP server and its service function, side by side (interleaved rounds, same process,
// same libSQL file) with a minimal hand-written SQL query over the usage rows for the same figures. The rows
// are seeded with plain SQL in one transaction, so the database's triggers keep the rollups as they would.
import { loadavg } from "node:os";
import { usageAnalytics } from "../packages/api/src/services/usage/reports";
import { type BenchCase, sampleInterleaved, seriesSql, warmUp } from "./lib/interleaved-cases";
import { startServerWithFakeModel } from "./lib/server-with-fake-model";
import { type LatencySummary, ms, printLatency, sleep, summarise } from "./lib/stats";

const USAGE_ROWS = 1_000_000;
const PROJECTS = 20;
const DAYS = 30;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_ROUND = 40;
const SLICE_MS = 3_000;
const DAY_MS = 86_400_000;
const GOAL_MS = 100;

const SIDES = ["http", "service", "sql"] as const;
type Case = BenchCase<(typeof SIDES)[number]>;

export async function run(): Promise<void> {
  const bench = await startServerWithFakeModel("usage-reports", { SIGNUP_MODE: "open" });
  try {
    const client = bench.server.deps.db.$client;
    const base = `${bench.server.url}/api/v1`;
    const member = await bench.register("member");
    // Projects made through the API, each with its default crew of six agents.
    const projects: Array<{ id: string; agents: string[] }> = [];
    for (let i = 0; i < PROJECTS; i++) {
      const project = await bench.api<{ id: string }>("POST", "/projects", { name: `Project ${i}` });
      const agents = await bench.api<{ items: { id: string }[] }>("GET", `/projects/${project.id}/agents`);
      projects.push({ id: project.id, agents: agents.items.map((a) => a.id) });
    }
    const now = Date.now();
    const started = performance.now();
    const tx = await client.transaction("write");
    try {
      await tx.execute("PRAGMA cache_size = -1000000");
      await tx.execute(
        `INSERT INTO project_members (project_id, user_id, role) SELECT id, '${member.user.id}', 'viewer' FROM projects`,
      );
      await tx.execute(
        `CREATE TEMP TABLE bench_agents AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, project_id FROM agents`,
      );
      const agentCount = projects.reduce((n, p) => n + p.agents.length, 0);
      // Spread evenly over the last 30 days and a day before, every agent, three models, two people.
      await tx.execute(
        `${seriesSql(USAGE_ROWS)}INSERT INTO usage_records (id, user_id, project_id, agent_id, provider, model, call_id,
           input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, outcome, status, created_at)
         SELECT printf('00000000-0000-7000-8000-u%011d', i),
                CASE i % 4 WHEN 0 THEN '${member.user.id}' ELSE '${bench.userId}' END,
                a.project_id, a.id, 'anthropic',
                CASE i % 3 WHEN 0 THEN 'claude-sonnet-4-5' WHEN 1 THEN 'claude-haiku-4-5' ELSE 'claude-opus-4-1' END,
                'call-' || i, 1000 + i % 500, 200 + i % 300, i % 50, i % 20, 1500 + i % 1000, 'success',
                CASE WHEN i % 1000 = 0 THEN 'pending' ELSE 'settled' END,
                ${now} - (i * ${Math.floor(((DAYS + 1) * DAY_MS) / USAGE_ROWS)})
         FROM s JOIN bench_agents a ON a.n = (i / 7) % ${agentCount}`,
      );
      await tx.execute("DROP TABLE bench_agents");
      await tx.commit();
    } finally {
      tx.close();
    }
    console.log(
      `seeded ${USAGE_ROWS} usage rows over ${DAYS + 1} days, ${PROJECTS} projects, ${projects.reduce((n, p) => n + p.agents.length, 0)} agents in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const hourly = await client.execute("SELECT count(*) AS n FROM usage_hourly");
    console.log(`usage_hourly holds ${hourly.rows[0]?.n} rows`);

    await sleep(200);
    const get = (token: string) => async (route: string) => {
      const send = () => fetch(`${base}${route}`, { headers: { authorization: `Bearer ${token}` } });
      const res = await send().catch((error: Error & { cause?: { code?: string } }) => {
        if (error.cause?.code === "ECONNRESET" || error.cause?.code === "UND_ERR_SOCKET") return send();
        throw error;
      });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${route}: ${res.status} ${body.slice(0, 300)}`);
      return body;
    };
    const asAdmin = get(bench.token);
    const asMember = get(member.access_token);
    const deps = bench.server.deps;
    const adminViewer = { userId: bench.userId, isAdmin: true };
    const serviceNow = () => new Date();

    // The minimal hand-written equivalent: the same 30 days from the usage rows, per UTC day and group.
    const since = now - DAYS * DAY_MS;
    const rawSql = (group: string) => `SELECT ${group}, created_at - created_at % ${DAY_MS} AS day,
        sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), sum(cost_micros), count(*)
      FROM usage_records WHERE created_at >= ? GROUP BY 1, 2`;
    const memberRawSql = `SELECT model, created_at - created_at % ${DAY_MS} AS day,
        sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), sum(cost_micros), count(*)
      FROM usage_records WHERE created_at >= ?
        AND project_id IN (SELECT project_id FROM project_members WHERE user_id = ?) GROUP BY 1, 2`;
    const projectId = projects[0]!.id;

    const cases: Case[] = [
      {
        name: "30-day report by model, admin, UTC",
        goal: GOAL_MS,
        http: () => asAdmin("/usage/analytics?timeRange=30&groupBy=model"),
        service: () =>
          usageAnalytics(deps.db, adminViewer, { timeRange: 30, tz: "UTC", groupBy: "model" }, serviceNow()),
        sql: () => client.execute({ sql: rawSql("model"), args: [since] }),
      },
      {
        name: "30-day report by project, admin, America/New_York",
        goal: GOAL_MS,
        http: () => asAdmin("/usage/analytics?timeRange=30&groupBy=project&tz=America/New_York"),
        service: () =>
          usageAnalytics(
            deps.db,
            adminViewer,
            { timeRange: 30, tz: "America/New_York", groupBy: "project" },
            serviceNow(),
          ),
        sql: () => client.execute({ sql: rawSql("project_id"), args: [since] }),
      },
      {
        name: "30-day report by agent, admin, Asia/Kolkata (half-hour midnights)",
        goal: GOAL_MS,
        http: () => asAdmin("/usage/analytics?timeRange=30&groupBy=agent&tz=Asia/Kolkata"),
        sql: () => client.execute({ sql: rawSql("agent_id"), args: [since] }),
      },
      {
        name: "30-day report by model, member of 20 projects",
        goal: GOAL_MS,
        http: () => asMember("/usage/analytics?timeRange=30&groupBy=model"),
        sql: () => client.execute({ sql: memberRawSql, args: [since, member.user.id] }),
      },
      {
        name: "30-day project report (50k rows)",
        goal: GOAL_MS,
        http: () => asAdmin(`/usage/projects/${projectId}?timeRange=30`),
        sql: () =>
          client.execute({
            sql: `SELECT model, agent_id, created_at - created_at % ${DAY_MS}, sum(cost_micros), count(*)
              FROM usage_records WHERE project_id = ? AND created_at >= ? GROUP BY 1, 2, 3`,
            args: [projectId, since],
          }),
      },
      {
        name: "budget timeline per week, admin",
        http: () => asAdmin("/budget/timeline?timeRange=30&granularity=week"),
        sql: () => client.execute({ sql: rawSql("1"), args: [since] }),
      },
      {
        name: "last hour per minute, admin",
        http: () => asAdmin("/usage/realtime"),
        sql: () =>
          client.execute({
            sql: "SELECT created_at - created_at % 60000, sum(cost_micros), count(*) FROM usage_records WHERE created_at >= ? GROUP BY 1",
            args: [Date.now() - 3_600_000],
          }),
      },
    ];

    await warmUp(cases, SIDES);
    const samples = await sampleInterleaved(cases, SIDES, {
      rounds: ROUNDS,
      perRound: PER_ROUND,
      sliceMs: SLICE_MS,
    });

    console.log(
      `\nload average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    for (const c of cases) {
      console.log(`\n${c.name}`);
      const figures: Partial<Record<(typeof SIDES)[number], LatencySummary>> = {};
      for (const side of SIDES) {
        const taken = samples.get(c.name)![side].latencies;
        if (taken.length === 0) continue;
        figures[side] = summarise(taken);
        printLatency(`  ${side === "sql" ? "hand-written SQL over the rows" : side}`, figures[side]);
      }
      const { http, sql } = figures;
      const ratios = [
        http && sql ? `HTTP/SQL p50 ×${(http.p50 / sql.p50).toFixed(2)}` : "",
        http && c.goal !== undefined
          ? `goal p99 ≤ ${ms(c.goal)}: ${http.p99 <= c.goal ? "met" : "NOT met"}`
          : "",
      ].filter(Boolean);
      if (ratios.length > 0) console.log(`  ${ratios.join("   ")}`);
    }
  } finally {
    await bench.close();
  }
}
