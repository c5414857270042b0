// What the usage rollups cost each model call: a call writes its usage row pending and settles it when it
// ends, and the triggers keep usage_daily, usage_hourly and usage_shifted_daily in the same statements.
// Measured side by side (interleaved rounds, same libSQL file) with the same writes when only usage_daily's
// triggers are installed, over a table that already holds a month of a busy project's calls.
import { loadavg } from "node:os";
import { usageHourlyFigures, usageShiftedDailyFigures } from "../packages/db/src/schema/usage";
import { startServerWithFakeModel } from "./lib/server-with-fake-model";
import { printLatency, summarise } from "./lib/stats";

const BACKGROUND_ROWS = 100_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_ROUND = 200;
const DAY_MS = 86_400_000;

export async function run(): Promise<void> {
  const bench = await startServerWithFakeModel("usage-writes");
  try {
    const client = bench.server.deps.db.$client;
    const project = await bench.api<{ id: string }>("POST", "/projects", { name: "Busy" });
    const agents = await bench.api<{ items: { id: string }[] }>("GET", `/projects/${project.id}/agents`);
    const agentId = agents.items[0]!.id;
    const now = Date.now();
    await client.execute(
      `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${BACKGROUND_ROWS - 1})
       INSERT INTO usage_records (id, user_id, project_id, agent_id, provider, model, input_tokens, output_tokens,
         cost_micros, outcome, status, created_at)
       SELECT 'bg-' || i, '${bench.userId}', '${project.id}', '${agentId}', 'anthropic', 'claude-sonnet-4-5',
         1000, 200, 1500, 'success', 'settled', ${now} - (i * ${Math.floor((30 * DAY_MS) / BACKGROUND_ROWS)}) FROM s`,
    );
    const extra = [usageHourlyFigures, usageShiftedDailyFigures];
    const drop = () =>
      client.batch(
        extra.flatMap((f) => Object.keys(f.triggers).map((name) => `DROP TRIGGER IF EXISTS ${name}`)),
        "write",
      );
    const install = () =>
      client.batch(
        extra.flatMap((f) => Object.values(f.triggers)),
        "write",
      );

    let n = 0;
    /** One call's two writes, as the engine makes them: the pending row, then its settlement. */
    const call = async () => {
      const id = `call-${n++}`;
      const started = performance.now();
      await client.execute({
        sql: `INSERT INTO usage_records (id, call_id, user_id, project_id, agent_id, provider, model, cost_micros,
                outcome, status, created_at) VALUES (?, ?, ?, ?, ?, 'anthropic', 'claude-sonnet-4-5', 90000,
                'success', 'pending', ?)`,
        args: [id, id, bench.userId, project.id, agentId, Date.now()],
      });
      await client.execute({
        sql: `UPDATE usage_records SET input_tokens = 1200, output_tokens = 340, cost_micros = 8700,
                status = 'settled', duration_ms = 2100 WHERE id = ?`,
        args: [id],
      });
      return performance.now() - started;
    };

    const samples = { all: [] as number[], dailyOnly: [] as number[] };
    // The server installed every trigger at start-up: each round measures with them, then without.
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) await install();
      for (let i = 0; i < PER_ROUND; i++) samples.all.push(await call());
      await drop();
      for (let i = 0; i < PER_ROUND; i++) samples.dailyOnly.push(await call());
    }
    await install();
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    const all = summarise(samples.all);
    const dailyOnly = summarise(samples.dailyOnly);
    printLatency("insert + settle, every rollup", all);
    printLatency("insert + settle, usage_daily only", dailyOnly);
    console.log(`  every rollup / daily only p50 ×${(all.p50 / dailyOnly.p50).toFixed(2)}`);
  } finally {
    await bench.close();
  }
}
