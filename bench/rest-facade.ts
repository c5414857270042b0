// The REST façade against what it wraps and against a hand-written route: `pnpm bench rest-facade`.
// The server is built and started exactly as the root `pnpm start` does (its own build, then the rest of
// the script, in a process group of its own); beside it, bench/lib/minimal-rest.ts serves the same two
// requests from the same database file with one Hono route each. Ten clients in this process send
// GET /api/v1/projects/{id} and POST /api/v1/tasks through REST, the same procedures through tRPC, and the
// same requests to the minimal routes (the same queries through the same services; and as raw SQL, a floor),
// in interleaved rounds; the figures are requests per second.
import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../packages/engine/src/testing/index";
import { nextMessage } from "./lib/child-messages";
import { sleep } from "./lib/stats";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.join(here, "..");

const CLIENTS = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 2);
const GOAL_VS_MINIMAL = 0.5;
const GOAL_VS_TRPC = 0.8;
const GOAL_START_SECONDS = 1.5;

type Started = { url: string; stop: () => Promise<void>; secondsToHealth: number };

/**
 * What the root `pnpm start` runs once its build is done, on a data directory, timed from spawn to the
 * first healthy answer.
 */
async function startAsPnpmStart(command: string, dataDir: string): Promise<Started> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn("sh", ["-c", command], {
    cwd: repoRoot,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_URL: url,
      DATA_DIR: dataDir,
      LOG_LEVEL: "error",
      WEB_DIST_DIR: path.join(dataDir, "no-web-build"),
      SIGNUP_MODE: "open",
      // The limits protect a shared server from people; a benchmark is one person going fast on purpose.
      RATE_LIMIT_GENERAL_PER_MINUTE: "100000000",
    },
  });
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error("the server exited before it answered /health");
    const ok = await fetch(`${url}/health`).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) break;
    if (performance.now() - started > 60_000) throw new Error("no /health after 60 s");
    await sleep(10);
  }
  const secondsToHealth = (performance.now() - started) / 1000;
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    const gone = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    await gone;
  };
  return { url, stop, secondsToHealth };
}

const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

type Call = { method: "GET" | "POST"; url: string; body?: string; expect: number };

function send(call: Call, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      call.url,
      {
        method: call.method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(call.body === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(call.body) }),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(call.body);
  });
}

/** Requests per second for `seconds`, from CLIENTS clients each sending one request after another. */
async function measure(makeCall: () => Call, token: string, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const call = makeCall();
        const status = await send(call, token);
        if (status === call.expect) done++;
        else if (++failed <= 3) console.error(`  ${call.method} ${call.url}: ${status}`);
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

async function json<T>(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const verdict = (ratio: number, goal: number) =>
  `${ratio.toFixed(2)}× (goal ≥ ${goal}×: ${ratio >= goal ? "met" : "NOT met"})`;

export async function run(): Promise<void> {
  // `pnpm start` builds, then serves: the bench builds the server alone (the web app is not served here)
  // and runs the rest of the script as it is.
  const start = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).scripts.start as string;
  const steps = start.split(" && ");
  const serve = steps.filter((step) => !/^pnpm .*\bbuild$/.test(step)).join(" && ");
  console.log(
    `load average at start: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(", ")}`,
  );
  console.log(`pnpm start: ${start}`);
  const serverScripts = JSON.parse(
    readFileSync(path.join(repoRoot, "apps/server/package.json"), "utf8"),
  ).scripts;
  if (serverScripts.build) {
    const built = performance.now();
    execFileSync("pnpm", ["--silent", "--filter", "@crewdeck/server", "build"], { stdio: "ignore" });
    console.log(`server built in ${((performance.now() - built) / 1000).toFixed(1)} s; then: ${serve}`);
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-bench-rest-"));
  let server: Started | undefined;
  let minimal: ChildProcess | undefined;
  try {
    // Start to the first /health: a fresh data directory (migrations run), then two restarts over it.
    const starts: number[] = [];
    for (let i = 0; i < 3; i++) {
      server = await startAsPnpmStart(serve, dataDir);
      starts.push(server.secondsToHealth);
      if (i < 2) await server.stop();
    }
    if (!server) throw new Error("no server");
    const restart = median(starts.slice(1));
    console.log(
      `start to first /health: ${starts.map((s) => `${s.toFixed(2)} s`).join(", ")} (first on a fresh data directory); restart ${restart.toFixed(2)} s (goal ≤ ${GOAL_START_SECONDS} s: ${restart <= GOAL_START_SECONDS ? "met" : "NOT met"})`,
    );
    const { url } = server;

    const registered = await json<{ access_token: string }>(`${url}/api/v1/auth/register`, {
      method: "POST",
      body: { email: "bench@example.test", username: "bench", password: "correct horse battery" },
    });
    const token = registered.access_token;
    const readProject = await json<{ id: string }>(`${url}/api/v1/projects`, {
      method: "POST",
      token,
      body: { name: "Read here" },
    });
    // Tasks go to a project of their own, so the project that is read stays the same size.
    const writeProject = await json<{ id: string }>(`${url}/api/v1/projects`, {
      method: "POST",
      token,
      body: { name: "Write here" },
    });
    const jwks = await json<{ keys: Array<Record<string, string>> }>(`${url}/api/auth/jwks`);

    minimal = fork(
      path.join(here, "lib/minimal-rest.ts"),
      [JSON.stringify({ databaseUrl: `file:${path.join(dataDir, "crewdeck.db")}`, issuer: url, jwks })],
      { execArgv: ["--import", "tsx"] },
    );
    const { url: minimalUrl } = await nextMessage<{ url: string }>(minimal, "ready", 30_000);

    let n = 0;
    const taskBody = () => JSON.stringify({ projectId: writeProject.id, title: `Task ${++n}` });
    const trpcInput = encodeURIComponent(JSON.stringify({ projectId: readProject.id }));
    const minimalGet = (prefix: string) => (): Call => ({
      method: "GET",
      url: `${minimalUrl}${prefix}/api/v1/projects/${readProject.id}`,
      expect: 200,
    });
    const minimalPost = (prefix: string) => (): Call => ({
      method: "POST",
      url: `${minimalUrl}${prefix}/api/v1/tasks`,
      body: taskBody(),
      expect: 200,
    });
    const targets: Array<{ name: string; call: () => Call }> = [
      { name: "GET project: minimal Hono route", call: minimalGet("") },
      {
        name: "GET project: REST façade",
        call: () => ({ method: "GET", url: `${url}/api/v1/projects/${readProject.id}`, expect: 200 }),
      },
      {
        name: "GET project: tRPC projects.get",
        call: () => ({ method: "GET", url: `${url}/trpc/projects.get?input=${trpcInput}`, expect: 200 }),
      },
      { name: "GET project: raw SQL route (floor)", call: minimalGet("/raw") },
      { name: "POST task: minimal Hono route", call: minimalPost("") },
      {
        name: "POST task: REST façade",
        call: () => ({ method: "POST", url: `${url}/api/v1/tasks`, body: taskBody(), expect: 200 }),
      },
      {
        name: "POST task: tRPC tasks.create",
        call: () => ({ method: "POST", url: `${url}/trpc/tasks.create`, body: taskBody(), expect: 200 }),
      },
      { name: "POST task: raw SQL route (floor)", call: minimalPost("/raw") },
    ];

    // Warm every path (JIT, statement caches) before anything counts.
    for (const target of targets) await measure(target.call, token, 0.5);
    const rates = new Map(targets.map((t) => [t.name, [] as number[]]));
    console.log(
      `${CLIENTS} concurrent clients, ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s per target`,
    );
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts at another target, so no target always runs first or last.
      for (let i = 0; i < targets.length; i++) {
        const target = targets[(i + round) % targets.length];
        if (!target) continue;
        rates.get(target.name)?.push(await measure(target.call, token, ROUND_SECONDS));
      }
    }
    const rate = (name: string) => median(rates.get(name) ?? []);
    for (const target of targets) {
      const all = rates.get(target.name) ?? [];
      console.log(
        `${target.name.padEnd(36)} ${rate(target.name).toFixed(0).padStart(6)} req/s  (rounds: ${all.map((r) => r.toFixed(0)).join(", ")})`,
      );
    }
    for (const what of ["GET project", "POST task"]) {
      const rest = rate(`${what}: REST façade`);
      const minimalRate = rate(`${what}: minimal Hono route`);
      const trpc = rate(targets.find((t) => t.name.startsWith(`${what}: tRPC`))?.name ?? "");
      console.log(`${what}: REST / minimal ${verdict(rest / minimalRate, GOAL_VS_MINIMAL)}`);
      console.log(`${what}: REST / tRPC    ${verdict(rest / trpc, GOAL_VS_TRPC)}`);
      console.log(
        `${what}: REST / raw SQL ${(rest / rate(`${what}: raw SQL route (floor)`)).toFixed(2)}× (no goal: drizzle and the façade together)`,
      );
    }
    console.log(
      `load average at end: ${loadavg()
        .map((n) => n.toFixed(2))
        .join(", ")}`,
    );
  } finally {
    minimal?.send({ type: "stop" });
    agent.destroy();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
