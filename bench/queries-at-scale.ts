// Reads that must cost the page, not the data: a conversation of 1,000,000 messages, a project of 500,000 usage
// rows, a member of 200 projects and a budget summary over 1,000,000 usage rows. Each endpoint is called
// through the real HTTP server, side by side (interleaved rounds, same process, same libSQL file) with a
// minimal hand-written Hono route in the same process running the same service (bench/lib/minimal-rest.ts:
// what the façade, its guards and middleware add) and a minimal hand-written SQL query for the same data. The
// data is seeded with plain SQL in one transaction.
import { loadavg } from "node:os";
import { getBudgetSummary } from "../packages/api/src/services/budgets/summary";
import { getConversation } from "../packages/api/src/services/conversations/conversations";
import { listMessagePage } from "../packages/api/src/services/conversations/messages";
import { getProject, listProjects } from "../packages/api/src/services/projects/projects";
import { profiled } from "./lib/cpu-profile";
import { type BenchCase, sampleInterleaved, seriesSql, warmUp } from "./lib/interleaved-cases";
import { serveMinimalRest } from "./lib/minimal-rest";
import { type ServerWithFakeModel, startServerWithFakeModel } from "./lib/server-with-fake-model";
import { createStatementLog } from "./lib/statement-log";
import { type LatencySummary, ms, printLatency, sleep, summarise } from "./lib/stats";

type Client = ServerWithFakeModel["server"]["deps"]["db"]["$client"];

const MESSAGES = 1_000_000;
const BIG_PROJECT_USAGE = 500_000;
const OTHER_PROJECTS = 199;
const OTHER_USAGE = 500_000;
const TASKS_PER_PROJECT = 20;
const DAYS_OF_HISTORY = 90;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Requests per case per round; a case slower than its time slice stops early (before the fixes: seconds). */
const PER_ROUND = 60;
const SLICE_MS = 2_500;
const DAY_MS = 86_400_000;

/**
 * One read four ways: through the HTTP server (what a client sees), through a minimal Hono route calling the
 * same service over the same database (the façade's floor), the service function it calls in this process
 * (the queries and mapping, without HTTP), and a minimal hand-written SQL query.
 */
const SIDES = ["http", "minimal", "service", "sql"] as const;
type Case = BenchCase<(typeof SIDES)[number]>;

const pick = (values: string[], expr: string) =>
  `CASE (${expr}) % ${values.length} ${values.map((v, i) => `WHEN ${i} THEN '${v}'`).join(" ")} END`;

export async function seed(
  client: Client,
  ids: { userId: string; memberId: string; bigProjectId: string; conversationId: string; agentIds: string[] },
) {
  const now = Date.now();
  const tx = await client.transaction("write");
  try {
    // Index pages stay in memory while a million rows go in (a transaction has a connection of its own).
    await tx.execute("PRAGMA cache_size = -1000000");
    // 199 more projects owned by the bench user, each with the member in it, and tasks in each.
    await tx.execute(
      `${seriesSql(OTHER_PROJECTS)}INSERT INTO projects (id, name, owner_id, created_at, updated_at)
       SELECT printf('00000000-0000-7000-8000-p%011d', i), 'Project ' || i, '${ids.userId}', ${now} - i * 1000, ${now} FROM s`,
    );
    await tx.execute(
      `INSERT INTO project_members (project_id, user_id, role) SELECT id, '${ids.userId}', 'owner' FROM projects WHERE id LIKE '%-p%'`,
    );
    await tx.execute(
      `INSERT INTO project_members (project_id, user_id, role) SELECT id, '${ids.memberId}', 'maintainer' FROM projects`,
    );
    await tx.execute(
      `${seriesSql(TASKS_PER_PROJECT)}INSERT INTO tasks (id, project_id, title, status)
       SELECT printf('00000000-0000-7000-8000-t%05d%06d', s.i, p.rowid), p.id, 'Task ' || s.i,
              CASE s.i % 3 WHEN 0 THEN 'completed' WHEN 1 THEN 'in_progress' ELSE 'backlog' END
       FROM s, projects p`,
    );
    const models = ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"];
    // Usage spread over three months, across the crew, the models and two people; a few calls still pending.
    const usage = (n: number, project: string, offset: number) =>
      `${seriesSql(n)}INSERT INTO usage_records (id, user_id, project_id, agent_id, provider, model, call_id,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, outcome, status, created_at)
       SELECT printf('00000000-0000-7000-8000-u%011d', i + ${offset}),
              CASE i % 4 WHEN 0 THEN '${ids.memberId}' ELSE '${ids.userId}' END, ${project},
              ${ids.agentIds.length > 0 ? pick(ids.agentIds, "i / 7") : "NULL"}, 'anthropic', ${pick(models, "i")},
              'call-' || (i + ${offset}), 1000 + i % 500, 200 + i % 300, i % 50, i % 20, 1500 + i % 1000, 'success',
              CASE WHEN i % 1000 = 0 THEN 'pending' ELSE 'settled' END,
              ${now} - (i % ${DAYS_OF_HISTORY}) * ${DAY_MS} - (i % 3600) * 1000 FROM s`;
    await tx.execute(usage(BIG_PROJECT_USAGE, `'${ids.bigProjectId}'`, 0));
    await tx.execute(
      usage(
        OTHER_USAGE,
        `printf('00000000-0000-7000-8000-p%011d', i % ${OTHER_PROJECTS})`,
        BIG_PROJECT_USAGE,
      ).replace(pick(ids.agentIds, "i / 7"), "NULL"),
    );
    // A million messages, one a second, alternating a person and an agent.
    await tx.execute(
      `${seriesSql(MESSAGES)}INSERT INTO messages (id, conversation_id, author_type, user_id, agent_id, content, created_at, updated_at)
       SELECT printf('00000000-0000-7000-8000-m%011d', i), '${ids.conversationId}',
              CASE i % 2 WHEN 0 THEN 'user' ELSE 'agent' END,
              CASE i % 2 WHEN 0 THEN '${ids.userId}' END, CASE i % 2 WHEN 1 THEN '${ids.agentIds[0]}' END,
              'Message number ' || i || ': the quick brown fox jumps over the lazy dog.',
              ${now} - (${MESSAGES} - i) * 1000, ${now} - (${MESSAGES} - i) * 1000 FROM s`,
    );
    await tx.commit();
  } finally {
    tx.close();
  }
  // No ANALYZE: the server never runs it, so the planner here chooses as it does there.
}

async function explain(client: Client, label: string, sql: string, args: (string | number)[]) {
  const plan = await client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args });
  console.log(`  plan, ${label}:`);
  for (const row of plan.rows) console.log(`    ${String(row.detail)}`);
}

export async function run(): Promise<void> {
  const bench = await startServerWithFakeModel("queries-at-scale", { SIGNUP_MODE: "open" });
  let closeMinimal: (() => Promise<void>) | undefined;
  try {
    const client = bench.server.deps.db.$client;
    const base = `${bench.server.url}/api/v1`;
    const member = await bench.register("member");
    const big = await bench.api<{ id: string }>("POST", "/projects", { name: "Half a million calls" });
    const agents = await bench.api<{ items: { id: string }[] }>("GET", `/projects/${big.id}/agents`);
    const conversation = await bench.api<{ id: string }>("POST", "/conversations", {
      title: "A million messages",
      projectId: big.id,
    });
    const started = performance.now();
    await seed(client, {
      userId: bench.userId,
      memberId: member.user.id,
      bigProjectId: big.id,
      conversationId: conversation.id,
      agentIds: agents.items.map((a) => a.id),
    });
    console.log(
      `seeded ${MESSAGES} messages, ${BIG_PROJECT_USAGE + OTHER_USAGE} usage rows, ${OTHER_PROJECTS + 1} projects in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    // Connections kept alive from before the seeding were closed by the server meanwhile.
    await sleep(200);
    // The minimal routes check the same access tokens against the server's published keys.
    const jwks = await fetch(`${bench.server.url}/api/auth/jwks`).then(
      (r) => r.json() as Promise<{ keys: Array<Record<string, string>> }>,
    );
    const issuer = JSON.parse(Buffer.from(bench.token.split(".")[1]!, "base64url").toString()).iss as string;
    const minimal = await serveMinimalRest({
      databaseUrl: `file:${String((await client.execute("PRAGMA database_list")).rows[0]?.file)}`,
      issuer,
      jwks,
    });
    closeMinimal = minimal.close;
    const get =
      (token: string, at = base) =>
      async (route: string) => {
        const send = () => fetch(`${at}${route}`, { headers: { authorization: `Bearer ${token}` } });
        // A slow in-process read (the service and SQL sides block the event loop) can outlast the server's
        // keep-alive timeout, which then closes the idle connection as the next request goes out on it.
        const res = await send().catch((error: Error & { cause?: { code?: string } }) => {
          if (error.cause?.code === "ECONNRESET" || error.cause?.code === "UND_ERR_SOCKET") return send();
          throw error;
        });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET ${route}: ${res.status} ${body.slice(0, 300)}`);
        return body;
      };
    const asOwner = get(bench.token);
    const asMember = get(member.access_token);
    const minimalAsOwner = get(bench.token, `${minimal.url}/api/v1`);
    const minimalAsMember = get(member.access_token, `${minimal.url}/api/v1`);

    // Cursors spread through the conversation, so pages come from everywhere in its index.
    const cursors = (
      await client.execute({
        sql: "SELECT id FROM messages WHERE conversation_id = ? AND (rowid % 50000) = 7",
        args: [conversation.id],
      })
    ).rows.map((r) => String(r.id));
    let next = 0;
    const cursor = () => cursors[next++ % cursors.length]!;

    const pageSql = `SELECT m.* FROM messages m WHERE m.conversation_id = ?
      AND (m.created_at, m.id) < (SELECT created_at, id FROM messages WHERE id = ?)
      ORDER BY m.created_at DESC, m.id DESC LIMIT 51`;
    const newestSql =
      "SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT 51";
    const usageByProjectSql = `SELECT sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens),
      sum(cost_micros), count(*) FROM usage_records WHERE project_id = ?`;
    const listSql = `SELECT p.*, pm.role FROM projects p JOIN project_members pm ON pm.project_id = p.id
      WHERE pm.user_id = ? ORDER BY p.created_at DESC, p.id DESC LIMIT 20`;
    const monthStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);
    const summarySql = "SELECT sum(cost_micros) FROM usage_records WHERE created_at >= ?";
    // The same figures from the daily buckets, where the schema has them.
    const hasBuckets =
      (await client.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_daily'")).rows
        .length > 0;
    const bucketsByProjectSql = `SELECT sum(total_tokens), sum(cost_micros), sum(calls) FROM usage_daily
      WHERE project_id = ?`;
    const bucketsSummarySql = "SELECT sum(cost_micros) FROM usage_daily WHERE day >= ?";
    const usageSql = hasBuckets ? bucketsByProjectSql : usageByProjectSql;
    const spendSql = hasBuckets ? bucketsSummarySql : summarySql;

    const deps = bench.server.deps;
    const conversationRow = (await deps.db.query.conversations.findFirst({
      where: (c, { eq }) => eq(c.id, conversation.id),
    }))!;
    const firstPage = { page: 1, limit: 20 };

    const cases: Case[] = [
      {
        name: "GET /auth/me (the façade's floor)",
        http: () => asOwner("/auth/me"),
        sql: () => client.execute({ sql: "SELECT * FROM users WHERE id = ?", args: [bench.userId] }),
      },
      {
        name: "message page, 50 before a cursor",
        goal: 5,
        http: () => asOwner(`/conversations/${conversation.id}/messages?limit=50&before=${cursor()}`),
        minimal: () =>
          minimalAsOwner(`/conversations/${conversation.id}/messages?limit=50&before=${cursor()}`),
        service: () => listMessagePage(deps.db, conversation.id, { before: cursor(), limit: 50 }),
        sql: () => client.execute({ sql: pageSql, args: [conversation.id, cursor()] }),
      },
      {
        name: "conversation detail (1M messages)",
        goal: 10,
        http: () => asOwner(`/conversations/${conversation.id}`),
        minimal: () => minimalAsOwner(`/conversations/${conversation.id}`),
        service: () => getConversation(deps, conversationRow, {}),
        sql: () => client.execute({ sql: newestSql, args: [conversation.id] }),
      },
      {
        name: "project list, member of 200 (limit 20)",
        goal: 20,
        http: () => asMember("/projects"),
        minimal: () => minimalAsMember("/projects"),
        service: () => listProjects(deps, member.user.id, {}, firstPage),
        sql: () => client.execute({ sql: listSql, args: [member.user.id] }),
      },
      {
        name: "project list, member of 200 (limit 100)",
        http: () => asMember("/projects?limit=100"),
        minimal: () => minimalAsMember("/projects?limit=100"),
        service: () => listProjects(deps, member.user.id, {}, { page: 1, limit: 100 }),
        sql: () => client.execute({ sql: listSql.replace("LIMIT 20", "LIMIT 100"), args: [member.user.id] }),
      },
      {
        name: "project detail (500k usage rows)",
        goal: 20,
        http: () => asOwner(`/projects/${big.id}`),
        minimal: () => minimalAsOwner(`/projects/${big.id}`),
        service: () => getProject(deps, big.id, "owner"),
        sql: () => client.execute({ sql: usageSql, args: [big.id] }),
      },
      {
        name: "(reference) one project's usage over its rows",
        sql: () => client.execute({ sql: usageByProjectSql, args: [big.id] }),
      },
      {
        name: "budget summary, admin (1M usage rows)",
        http: () => asOwner("/budget/summary"),
        service: () => getBudgetSummary(deps.db, { userId: bench.userId, isAdmin: true }, new Date(), 0),
        sql: () => client.execute({ sql: spendSql, args: [monthStart] }),
      },
      {
        name: "budget summary, member of 200",
        http: () => asMember("/budget/summary"),
        service: () => getBudgetSummary(deps.db, { userId: member.user.id, isAdmin: false }, new Date(), 0),
        sql: () => client.execute({ sql: spendSql, args: [monthStart] }),
      },
      {
        name: "(reference) a month's spend over the rows",
        sql: () => client.execute({ sql: summarySql, args: [monthStart] }),
      },
    ];

    console.log("\nquery plans (hand-written queries):");
    await explain(client, "usage of one project", usageByProjectSql, [big.id]);
    await explain(client, "spend this month", summarySql, [monthStart]);
    await explain(client, "message page", pageSql, [conversation.id, cursors[0]!]);
    if (hasBuckets) {
      await explain(client, "one project's daily buckets", bucketsByProjectSql, [big.id]);
      await explain(client, "a month's daily buckets", bucketsSummarySql, [monthStart]);
    }

    // Warm every path once, then interleave: each round runs every case's HTTP and SQL side in turn.
    await warmUp(cases, SIDES);

    // BENCH_STATEMENTS=1: the statements each HTTP read runs, and their time on the event loop (the wrapping
    // stays on the statements, so the figures that follow carry its cost).
    if (process.env.BENCH_STATEMENTS) {
      const log = createStatementLog();
      const CALLS = 20;
      for (const c of cases) {
        if (!c.http) continue;
        log.start();
        const started = performance.now();
        for (let i = 0; i < CALLS; i++) await c.http();
        const wall = (performance.now() - started) / CALLS;
        const tallies = log.stop();
        const sqlMs = tallies.reduce((sum, t) => sum + t.ms, 0) / CALLS;
        const count = tallies.reduce((sum, t) => sum + t.count, 0) / CALLS;
        console.log(`\n${c.name}: ${count} statements, ${ms(sqlMs)} in SQLite of ${ms(wall)} a request`);
        for (const t of tallies.slice(0, 8)) {
          console.log(
            `  ${ms(t.ms / CALLS).padStart(9)} ×${t.count / CALLS}  ${t.sql.replace(/\s+/g, " ").slice(0, 150)}`,
          );
        }
      }
    }
    // CPU time of this process (server and client alike) per call: what a call costs, whatever else the
    // machine runs, where the latencies also carry the waits for a core.
    // BENCH_CPU_PROFILE=file profiles the measured rounds; BENCH_ONLY=http keeps to the HTTP side.
    const only = SIDES.find((side) => side === process.env.BENCH_ONLY);
    const samples = await profiled(() =>
      sampleInterleaved(cases, SIDES, { rounds: ROUNDS, perRound: PER_ROUND, sliceMs: SLICE_MS, only }),
    );

    console.log(
      `\nload average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    for (const c of cases) {
      console.log(`\n${c.name}`);
      const figures: Partial<Record<(typeof SIDES)[number], LatencySummary>> = {};
      for (const side of SIDES) {
        const { latencies: taken, cpuMs } = samples.get(c.name)![side];
        if (taken.length === 0) continue;
        figures[side] = summarise(taken);
        printLatency(`  ${side}`, figures[side]);
        console.log(`${"".padEnd(46)}CPU ${ms(cpuMs / taken.length)} a call`);
      }
      const { http, minimal, service, sql } = figures;
      const ratios = [
        http && minimal
          ? `HTTP/minimal route p50 ×${(http.p50 / minimal.p50).toFixed(2)}, p99 ×${(http.p99 / minimal.p99).toFixed(2)}, CPU ×${(samples.get(c.name)!.http.cpuMs / http.count / (samples.get(c.name)!.minimal.cpuMs / minimal.count)).toFixed(2)}`
          : "",
        http && sql ? `HTTP/SQL p50 ×${(http.p50 / sql.p50).toFixed(1)}` : "",
        service && sql ? `service/SQL p50 ×${(service.p50 / sql.p50).toFixed(1)}` : "",
        http && c.goal !== undefined
          ? `goal p99 ≤ ${ms(c.goal)}: ${http.p99 <= c.goal ? "met" : "NOT met"}`
          : "",
      ].filter(Boolean);
      if (ratios.length > 0) console.log(`  ${ratios.join("   ")}`);
    }
  } finally {
    await closeMinimal?.();
    await bench.close();
  }
}
