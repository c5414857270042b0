// Run throughput scaled out (issue 19): K runs of the six-step pipeline started at once against a fake model
// that answers at once, on one process (the default), and on one server that only enqueues with two
// `pnpm worker` processes on Redis (BullMQ) and one libSQL file. Beside them, the floor of the queue itself:
// the same number of six-job chains (each job queues the next) through bare BullMQ workers in two
// processes, with no database. Rounds interleave the layouts; figures are runs per second, as ratios.
import { type ChildProcess, fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { api, type Child, killed, startChild, startWorkerChild } from "../apps/server/src/test/child-server";
import { createDatabase } from "../packages/db/src/index";
import { startFakeAnthropic, startRedisServer } from "../packages/engine/src/testing/index";
import { createRedisConnection, Queue, QueueEvents } from "./lib/bullmq";
import { createCrewedProjects, timeConcurrentRuns } from "./lib/concurrent-runs";

const RUNS = Number(process.env.BENCH_QUEUE_RUNS ?? 6);
const ROUNDS = Number(process.env.BENCH_QUEUE_ROUNDS ?? 3);
const STEPS = 6;
const WORKERS = Number(process.env.BENCH_QUEUE_WORKERS ?? 2);
const here = path.dirname(fileURLToPath(import.meta.url));

type Layout = {
  name: string;
  /** Starts RUNS runs at once and resolves when all are done; returns the milliseconds it took. */
  round: () => Promise<number>;
  close: () => Promise<void>;
};

async function crewedLayout(
  name: string,
  env: Record<string, string>,
  workerCount: number,
  fake: Awaited<ReturnType<typeof startFakeAnthropic>>,
): Promise<Layout> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-bench-queue-"));
  const full = { ...env, DATA_DIR: dataDir, LOG_LEVEL: "error", RATE_LIMIT_TASK_START_PER_HOUR: "100000" };
  const server = await startChild({ ...full, LOG_LEVEL: "info" });
  const workers: Child[] = [];
  for (let i = 0; i < workerCount; i++)
    workers.push(await startWorkerChild({ ...full, LOG_LEVEL: "info", WORKER_CONCURRENCY: "4" }));
  const reg = await api(server, "POST", "/auth/register", undefined, {
    email: `${name.replace(/\W/g, "")}@example.test`,
    username: name.replace(/\W/g, "").slice(0, 20),
    password: "correct horse battery",
  });
  const token = reg.body.access_token as string;
  // An agent works one run at a time: each run at once needs a crew of its own.
  const projects = await createCrewedProjects(server, token, name, RUNS);
  const db = (await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` })).$client;
  let round = 0;
  return {
    name,
    async round() {
      round += 1;
      return timeConcurrentRuns({ label: name, server, token, projects, fake, db, round });
    },
    async close() {
      db.close();
      for (const child of [server, ...workers]) await killed(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Bare BullMQ: RUNS chains of six jobs, each job adding the next, taken by workers in two processes. */
async function bareLayout(redisUrl: string): Promise<Layout> {
  const connection = createRedisConnection(redisUrl);
  const queue = new Queue("bare-chain", { connection, prefix: "bench" });
  const events = new QueueEvents("bare-chain", {
    connection: createRedisConnection(redisUrl),
    prefix: "bench",
  });
  await events.waitUntilReady();
  const children: ChildProcess[] = [];
  for (let i = 0; i < 2; i++) {
    const child = fork(path.join(here, "lib/bare-chain-worker.ts"), [redisUrl], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise<void>((resolve) => child.once("message", () => resolve()));
    children.push(child);
  }
  let round = 0;
  return {
    name: "bare BullMQ, 2 worker processes (floor)",
    async round() {
      round += 1;
      const last = new Set(Array.from({ length: RUNS }, (_, i) => `r${round}:${i}:${STEPS - 1}`));
      const finished = new Promise<void>((resolve) => {
        const onDone = ({ jobId }: { jobId: string }) => {
          last.delete(jobId);
          if (last.size === 0) {
            events.off("completed", onDone);
            resolve();
          }
        };
        events.on("completed", onDone);
      });
      const started = performance.now();
      await Promise.all(
        Array.from({ length: RUNS }, (_, i) =>
          queue.add(
            "step",
            { chain: `r${round}:${i}`, index: 0, steps: STEPS },
            { jobId: `r${round}:${i}:0`, removeOnComplete: true },
          ),
        ),
      );
      await finished;
      return performance.now() - started;
    },
    async close() {
      for (const child of children) child.kill("SIGKILL");
      await events.close();
      await queue.close();
      await connection.quit();
    },
  };
}

export async function run(): Promise<void> {
  const redis = await startRedisServer();
  const fake = await startFakeAnthropic({ apiKey: "sk-ant-bench-queue" });
  const model = {
    ANTHROPIC_API_KEY: "sk-ant-bench-queue",
    ANTHROPIC_BASE_URL: fake.url,
    AGENT_SANDBOX: "none",
  };
  const layouts: Layout[] = [];
  try {
    layouts.push(await crewedLayout("one process (in-process executor)", model, 0, fake));
    layouts.push(
      await crewedLayout(
        `1 server + ${WORKERS} worker${WORKERS === 1 ? "" : "s"} on Redis`,
        { ...model, REDIS_URL: redis.url, WORKER_CONCURRENCY: "0" },
        WORKERS,
        fake,
      ),
    );
    layouts.push(await bareLayout(redis.url));
    const times = new Map<string, number[]>(layouts.map((l) => [l.name, []]));
    // A warm-up round each, then interleaved rounds.
    for (const layout of layouts) {
      const warm = await layout.round();
      console.log(`warm-up: ${layout.name} ${warm.toFixed(0)} ms`);
    }
    for (let r = 0; r < ROUNDS; r++)
      for (const layout of layouts) times.get(layout.name)!.push(await layout.round());
    const load = (await import("node:os"))
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" ");
    console.log(`${RUNS} runs of ${STEPS} steps at once, ${ROUNDS} rounds; load average ${load}`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const base = median(times.get(layouts[0]!.name)!);
    for (const layout of layouts) {
      const m = median(times.get(layout.name)!);
      const runsPerSecond = (RUNS / m) * 1000;
      console.log(
        `${layout.name.padEnd(44)} median ${m.toFixed(0).padStart(6)} ms  ${runsPerSecond.toFixed(2).padStart(7)} runs/s  ${(runsPerSecond * STEPS).toFixed(1).padStart(7)} steps/s  ×${(base / m).toFixed(2)} of one process`,
      );
    }
  } finally {
    for (const layout of layouts) await layout.close().catch(() => {});
    await fake.close();
    await redis.stop();
  }
}
