// Crewdeck scaled out (issue 19) beside the single process, in one run with interleaved rounds: the token
// relay (each chunk timed from the fake provider's write, in this process, to a raw SSE subscriber's read,
// in another) and run throughput (K six-step runs started at once, runs per second). Single process: one
// server does everything. Scaled: two servers and two `pnpm worker` processes on one Redis and one libSQL
// file; the subscribers are on server 1, the messages and task starts go through server 2, and the
// workers stream the replies and run the steps, so every delta crosses Redis from a worker to server 1.
// `BENCH_SCALE_ROUNDS`, `BENCH_SCALE_SUBSCRIBERS`, `BENCH_SCALE_RUNS` size it.
import { type ChildProcess, fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { api, type Child, killed, startChild, startWorkerChild } from "../apps/server/src/test/child-server";
import { createDatabase } from "../packages/db/src/index";
import {
  type FakeAnthropic,
  startFakeAnthropic,
  startRedisServer,
} from "../packages/engine/src/testing/index";
import { nextMessage } from "./lib/child-messages";
import { createCrewedProjects, timeConcurrentRuns } from "./lib/concurrent-runs";
import type { SseClientsConfig, SseClientsReport } from "./lib/sse-clients";
import { epochMs, ms, sleep } from "./lib/stats";

const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 3);
const SUBSCRIBERS = Number(process.env.BENCH_SCALE_SUBSCRIBERS ?? 10);
const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 4);
const CHUNKS = 200;
/** A fast model: 200 chunks a second. */
const CHUNK_DELAY_MS = 5;
const STEPS = 6;
const API_KEY = "sk-ant-bench-scale";
const here = path.dirname(fileURLToPath(import.meta.url));

type Layout = {
  name: string;
  /** One reply of CHUNKS numbered chunks streamed to SUBSCRIBERS streams: every latency, in ms. */
  relayRound(): Promise<SseClientsReport>;
  /** RUNS runs started at once: the milliseconds until all completed. */
  runsRound(): Promise<number>;
  close(): Promise<void>;
};

async function startLayout(name: string, fake: FakeAnthropic, redisUrl: string | null): Promise<Layout> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-bench-scale-"));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: "info",
    WEB_DIST_DIR: path.join(dataDir, "no-web-build"),
    ANTHROPIC_API_KEY: API_KEY,
    ANTHROPIC_BASE_URL: fake.url,
    AGENT_SANDBOX: "none",
    GITHUB_SYNC_INTERVAL_MINUTES: "0",
    // A benchmark is one person going fast on purpose.
    RATE_LIMIT_GENERAL_PER_MINUTE: "1000000",
    RATE_LIMIT_TASK_START_PER_HOUR: "1000000",
    MAX_EVENT_STREAMS_PER_USER: "1000000",
    ...(redisUrl && { REDIS_URL: redisUrl, WORKER_CONCURRENCY: "4" }),
  };
  const children: Child[] = [];
  // The first process migrates the database and writes the shared secret; the others follow.
  const watched = await startChild(env);
  children.push(watched);
  const posted = redisUrl ? await startChild(env) : watched;
  if (redisUrl) {
    children.push(posted);
    for (let i = 0; i < 2; i++) children.push(await startWorkerChild(env));
  }
  const reg = await api(watched, "POST", "/auth/register", undefined, {
    email: "bench@example.test",
    username: "bench",
    password: "correct horse battery",
  });
  const token = reg.body.access_token as string;
  // An agent works one run at a time: each run at once needs a crew of its own.
  const projects = await createCrewedProjects(posted, token, name, RUNS);
  const conversation = await api(posted, "POST", "/conversations", token, {
    title: "Relay",
    projectId: projects[0]!.id,
    agentIds: [projects[0]!.crew[0]!.id],
  });
  const conversationId = conversation.body.id as string;
  const db = (await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` })).$client;

  const until = async (what: string, done: () => Promise<boolean>) => {
    const deadline = Date.now() + 120_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`${name}: ${what} not done after 2 minutes`);
      await sleep(20);
    }
  };
  let replies = 0;
  const reply = async (text: string[], onChunk?: (i: number) => void) => {
    replies += 1;
    fake.enqueue({ text, chunkDelayMs: CHUNK_DELAY_MS, ...(onChunk && { onChunk }) });
    const res = await api(posted, "POST", `/conversations/${conversationId}/messages`, token, {
      content: "Go on",
    });
    if (res.status !== 200) throw new Error(`${name}: the post was refused: ${JSON.stringify(res.body)}`);
    await until("the reply", async () => {
      const rows = await db.execute({
        sql: "SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND author_type = 'agent' AND status = 'complete'",
        args: [conversationId],
      });
      return Number(rows.rows[0]?.n ?? 0) >= replies;
    });
  };
  // Warm the code paths once, so the figures are about relaying, not compiling.
  await reply(["warm", "up"]);

  let round = 0;
  return {
    name,
    async relayRound() {
      const config: SseClientsConfig = {
        url: watched.url,
        token,
        conversationId,
        clients: SUBSCRIBERS,
        markers: CHUNKS,
      };
      const clients: ChildProcess = fork(path.join(here, "lib/sse-clients.ts"), [JSON.stringify(config)], {
        execArgv: ["--import", "tsx"],
      });
      try {
        await nextMessage(clients, "ready", 120_000);
        await sleep(300);
        const written = new Array<number>(CHUNKS).fill(Number.NaN);
        await reply(
          Array.from({ length: CHUNKS }, (_, i) => `${i}|`),
          (i) => {
            written[i] = epochMs();
          },
        );
        const done = nextMessage<SseClientsReport>(clients, "done", 120_000);
        clients.send({ type: "written", written, waitMs: 20_000 });
        return await done;
      } finally {
        const gone = new Promise((resolve) => clients.once("exit", resolve));
        clients.send({ type: "stop" });
        await gone;
        await sleep(300);
      }
    },
    async runsRound() {
      round += 1;
      return timeConcurrentRuns({ label: name, server: posted, token, projects, fake, db, round });
    },
    async close() {
      db.close();
      for (const child of children) await killed(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return ((sorted[Math.floor(middle)] ?? Number.NaN) + (sorted[Math.ceil(middle)] ?? Number.NaN)) / 2;
};

export async function run(): Promise<void> {
  const redis = await startRedisServer();
  const fake = await startFakeAnthropic({ apiKey: API_KEY });
  const layouts: Layout[] = [];
  try {
    layouts.push(await startLayout("one process", fake, null));
    layouts.push(await startLayout("2 servers + 2 workers on Redis", fake, redis.url));
    const relay = new Map<string, SseClientsReport[]>(layouts.map((l) => [l.name, []]));
    const runs = new Map<string, number[]>(layouts.map((l) => [l.name, []]));
    for (const layout of layouts) await layout.runsRound(); // warm-up
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which goes first, so neither always runs on a machine the other just loaded.
      const order = r % 2 === 0 ? layouts : [...layouts].reverse();
      for (const layout of order) {
        const report = await layout.relayRound();
        relay.get(layout.name)!.push(report);
        const { latency } = report;
        console.log(
          `${layout.name.padEnd(32)} relay p50 ${ms(latency.p50).padStart(10)}  p99 ${ms(latency.p99).padStart(10)}  max ${ms(latency.max).padStart(10)}  ${report.missing} missing`,
        );
        const took = await layout.runsRound();
        runs.get(layout.name)!.push(took);
        console.log(`${layout.name.padEnd(32)} ${RUNS} runs in ${took.toFixed(0)} ms`);
      }
    }
    const load = loadavg()
      .map((n) => n.toFixed(2))
      .join(" ");
    console.log(
      `\nmedians of ${ROUNDS} interleaved rounds; relay: ${CHUNKS} chunks ${CHUNK_DELAY_MS} ms apart to ${SUBSCRIBERS} subscribers; throughput: ${RUNS} runs of ${STEPS} steps at once; load average ${load}`,
    );
    const base = layouts[0]!.name;
    const figures = (name: string) => {
      const reports = relay.get(name)!;
      const took = median(runs.get(name)!);
      return {
        p50: median(reports.map((r) => r.latency.p50)),
        p99: median(reports.map((r) => r.latency.p99)),
        missing: reports.reduce((n, r) => n + r.missing, 0),
        runsPerSecond: (RUNS / took) * 1000,
      };
    };
    const one = figures(base);
    for (const layout of layouts) {
      const f = figures(layout.name);
      console.log(
        `${layout.name.padEnd(32)} relay p50 ${ms(f.p50).padStart(10)} (×${(f.p50 / one.p50).toFixed(2)})  p99 ${ms(f.p99).padStart(10)} (×${(f.p99 / one.p99).toFixed(2)})  ${f.missing} missing  |  ${f.runsPerSecond.toFixed(2)} runs/s (×${(f.runsPerSecond / one.runsPerSecond).toFixed(2)} of one process)`,
      );
    }
  } finally {
    for (const layout of layouts) await layout.close().catch(() => {});
    await fake.close();
    await redis.stop();
  }
}
