// What the platform itself costs a task run: six pipeline steps against a fake model that answers at once,
// so the time is the engine's (prompts, budget holds, metering, step hand-offs, events) and the HTTP
// round trips to the fake, measured one run at a time and several at once.
import { ROLE_ANSWERS } from "../apps/server/src/test/role-answers";
import { ROLE_CATALOG } from "../packages/engine/src/roles/catalog";
import type { FakeRequest, FakeScript } from "../packages/engine/src/testing/index";
import { profiled } from "./lib/cpu-profile";
import { createMinimalRun } from "./lib/minimal-run";
import {
  type CrewAgent,
  createProject,
  type ServerWithFakeModel,
  startServerWithFakeModel,
} from "./lib/server-with-fake-model";
import { createStatementLog } from "./lib/statement-log";
import { epochMs, ms, printLatency, summarise } from "./lib/stats";

const SEQUENTIAL_RUNS = 30;
const CONCURRENT_RUNS = 5;
const BATCHES = 3;
const FAKE_ALONE_CALLS = 60;
/** The statements of the counted run that took the most time, printed with their count. */
const STATEMENTS_SHOWN = Number(process.env.BENCH_STATEMENTS_SHOWN ?? 12);

type Task = { id: string; crew: CrewAgent[] };

const systemText = (request: FakeRequest): string => {
  const system: unknown = request.body?.system;
  if (typeof system === "string") return system;
  return Array.isArray(system) ? system.map((block: { text?: string }) => block.text ?? "").join("\n") : "";
};

/**
 * The six answers one run needs. Each goes to a request from its role (the role's prompt is in the system
 * text), so runs going at once each get a valid answer whichever asks first.
 */
export const answersFor = (crew: CrewAgent[]): FakeScript[] =>
  crew.map(({ role }) => {
    const prompt = ROLE_CATALOG[role as keyof typeof ROLE_CATALOG]?.systemPrompt;
    const answer = ROLE_ANSWERS[role];
    if (!prompt || !answer) throw new Error(`no answer for the role ${role}`);
    return { text: answer, match: (request) => systemText(request).includes(prompt) };
  });

async function newTask(bench: ServerWithFakeModel, crew: CrewAgent[], projectId: string, title: string) {
  const task = await bench.api<{ id: string }>("POST", "/tasks", {
    title,
    description: "Returning customers pay in one click",
    projectId,
  });
  return { id: task.id, crew } satisfies Task;
}

async function start(bench: ServerWithFakeModel, task: Task) {
  bench.fake.enqueue(...answersFor(task.crew));
  await bench.api("POST", `/tasks/${task.id}/start`, {});
}

async function expectCompleted(bench: ServerWithFakeModel, task: Task) {
  const status = await bench.api<{ isComplete: boolean; runStatus: string }>(
    "GET",
    `/tasks/${task.id}/status`,
  );
  if (!status.isComplete) throw new Error(`task ${task.id} ended ${status.runStatus}, not completed`);
}

/** Rows in every table, to tell what one run writes. */
async function rowCounts(bench: ServerWithFakeModel): Promise<Map<string, number>> {
  const client = bench.server.deps.db.$client;
  const tables = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\'",
  );
  const counts = new Map<string, number>();
  for (const row of tables.rows) {
    const name = String(row.name);
    const result = await client.execute(`SELECT count(*) AS n FROM "${name}"`);
    counts.set(name, Number(result.rows[0]?.n ?? 0));
  }
  return counts;
}

/** The fake on its own, called over HTTP as the SDK calls it: the part of a step that is not the platform. */
async function timeFakeAlone(bench: ServerWithFakeModel, crew: CrewAgent[]) {
  const samples: number[] = [];
  for (let i = 0; i < FAKE_ALONE_CALLS; i++) {
    const role = crew[i % crew.length]?.role ?? "product-manager";
    bench.fake.enqueue({ text: ROLE_ANSWERS[role] ?? "" });
    const started = performance.now();
    const res = await fetch(`${bench.fake.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": bench.fakeApiKey },
      body: JSON.stringify({
        model: "claude-fake",
        max_tokens: 4096,
        stream: true,
        messages: [{ role: "user", content: "Write your part." }],
      }),
    });
    await res.text();
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

export async function run(): Promise<void> {
  const bench = await startServerWithFakeModel("run-overhead");
  try {
    const { projectId, crew } = await createProject(bench, "Sequential runs");
    if (crew.length !== 6) throw new Error(`expected a crew of six, got ${crew.length}`);
    // Concurrent runs each need a crew of their own: an agent works one run at a time.
    const crews = await Promise.all(
      Array.from({ length: CONCURRENT_RUNS }, (_, i) => createProject(bench, `Concurrent ${i + 1}`)),
    );
    const warmUp = await newTask(bench, crew, projectId, "Warm-up");
    const sequential: Task[] = [];
    for (let i = 0; i < SEQUENTIAL_RUNS; i++)
      sequential.push(await newTask(bench, crew, projectId, `Run ${i}`));
    const counted = await newTask(bench, crew, projectId, "Counted");
    const batches: Task[][] = [];
    for (let b = 0; b < BATCHES; b++) {
      batches.push(
        await Promise.all(crews.map((c, i) => newTask(bench, c.crew, c.projectId, `Batch ${b} run ${i}`))),
      );
    }

    const fakeAlone = await timeFakeAlone(bench, crew);
    // Warm the code paths once, so the figures are about running, not compiling.
    await start(bench, warmUp);
    await bench.server.deps.engine.steps.idle();
    await expectCompleted(bench, warmUp);

    const rowsBefore = await rowCounts(bench);
    // The hand-written equivalent, warmed the same way, takes its turn after each run.
    const minimal = await createMinimalRun(bench.server.deps.db.$client, bench.fake.url, bench.fakeApiKey);
    const prompts = crew.map(
      ({ role }) => ROLE_CATALOG[role as keyof typeof ROLE_CATALOG]?.systemPrompt ?? "",
    );
    const minimalRun = async () => {
      bench.fake.enqueue(...answersFor(crew));
      await minimal.run(prompts);
    };
    await minimalRun();
    const perRun: number[] = [];
    /** Of each run's time, the `POST /tasks/{id}/start` request (the REST layer's share, a separate goal). */
    const perStartRequest: number[] = [];
    const perMinimalRun: number[] = [];
    await profiled(async () => {
      for (const task of sequential) {
        const started = performance.now();
        await start(bench, task);
        perStartRequest.push(performance.now() - started);
        await bench.server.deps.engine.steps.idle();
        perRun.push(performance.now() - started);
        await expectCompleted(bench, task);
        const minimalStarted = performance.now();
        await minimalRun();
        perMinimalRun.push(performance.now() - minimalStarted);
      }
    });
    const rowsAfter = await rowCounts(bench);

    // One more run, its statements counted: what a step asks of the database.
    const statements = createStatementLog();
    statements.start();
    await start(bench, counted);
    await bench.server.deps.engine.steps.idle();
    const tallies = statements.stop();
    await expectCompleted(bench, counted);

    // Each run ends with one `task_completed` event: its arrival on the bus times the runs going at once.
    const completedAt = new Map<string, number>();
    const stopListening = new AbortController();
    const listening = (async () => {
      const events = bench.server.deps.engine.bus.subscribe(
        { types: ["task_completed"] },
        { signal: stopListening.signal },
      );
      for await (const event of events) {
        if (event.type === "task_completed") completedAt.set(event.payload.taskId, epochMs());
      }
    })();
    const concurrentPerRun: number[] = [];
    const batchWalls: number[] = [];
    for (const batch of batches) {
      const batchStarted = performance.now();
      const startedAt = new Map<string, number>();
      await Promise.all(
        batch.map((task) => {
          startedAt.set(task.id, epochMs());
          return start(bench, task);
        }),
      );
      await bench.server.deps.engine.steps.idle();
      batchWalls.push(performance.now() - batchStarted);
      for (const task of batch) {
        await expectCompleted(bench, task);
        const ended = completedAt.get(task.id);
        const began = startedAt.get(task.id);
        if (ended !== undefined && began !== undefined) concurrentPerRun.push(ended - began);
      }
    }
    stopListening.abort();
    await listening;
    if (bench.fake.queued() !== 0)
      throw new Error(`${bench.fake.queued()} fake answers were never asked for`);

    const steps = crew.length;
    const fakeShare = fakeAlone.p50 * steps;
    const run = summarise(perRun);
    printLatency("fake alone: one streamed answer over HTTP", fakeAlone);
    printLatency(`run of ${steps} steps, start → done, one at a time`, run);
    printLatency("  the same, less the fake (p50 × 6)", summarise(perRun.map((t) => t - fakeShare)));
    const platformPerStep = summarise(perRun.map((t) => (t - fakeShare) / steps));
    printLatency("  per step, less the fake", platformPerStep);
    printLatency("  the start request alone", summarise(perStartRequest));
    printLatency(
      "  per step, less the fake and the start",
      summarise(perRun.map((t, i) => (t - fakeShare - (perStartRequest[i] ?? 0)) / steps)),
    );
    const minimalRuns = summarise(perMinimalRun);
    printLatency("hand-written: SDK calls + 3 inserts a step", minimalRuns);
    const minimalPerStep = summarise(perMinimalRun.map((t) => (t - fakeShare) / steps));
    printLatency("  per step, less the fake", minimalPerStep);
    console.log(
      `platform time per step: p50 ${ms(platformPerStep.p50)} (goal ≤ 30 ms: ${platformPerStep.p50 <= 30 ? "met" : "not met"}), ${(platformPerStep.p50 / minimalPerStep.p50).toFixed(1)}× the hand-written run's ${ms(minimalPerStep.p50)}; a run takes ${(run.p50 / minimalRuns.p50).toFixed(1)}× as long`,
    );
    const sequentialSeconds = perRun.reduce((a, b) => a + b, 0) / 1000;
    console.log(
      `${"".padEnd(44)} ${(perRun.length / sequentialSeconds).toFixed(1)} runs/s, ${((perRun.length * steps) / sequentialSeconds).toFixed(0)} steps/s`,
    );
    printLatency(`run, start → done, ${CONCURRENT_RUNS} at once`, summarise(concurrentPerRun));
    const concurrentSeconds = batchWalls.reduce((a, b) => a + b, 0) / 1000;
    const concurrentRuns = BATCHES * CONCURRENT_RUNS;
    console.log(
      `${"".padEnd(44)} ${(concurrentRuns / concurrentSeconds).toFixed(1)} runs/s, ${((concurrentRuns * steps) / concurrentSeconds).toFixed(0)} steps/s (${BATCHES} batches, each done in ${batchWalls.map((t) => ms(t)).join(", ")})`,
    );
    const written = [...rowsAfter]
      .map(([table, n]) => [table, (n - (rowsBefore.get(table) ?? 0)) / perRun.length] as const)
      // The hand-written run's own tables are not the platform's.
      .filter(([table, n]) => n !== 0 && !table.startsWith("bench_"))
      .sort((a, b) => b[1] - a[1]);
    const total = written.reduce((sum, [, n]) => sum + n, 0);
    const perStep = (n: number) => (n / steps).toFixed(1);
    const statementCount = tallies.reduce((sum, t) => sum + t.count, 0);
    const transactions = tallies
      .filter((t) => /^\s*begin\b/i.test(t.sql))
      .reduce((sum, t) => sum + t.count, 0);
    const statementMs = tallies.reduce((sum, t) => sum + t.ms, 0);
    console.log(
      `statements per step (one run, the HTTP start included): ${perStep(statementCount)}, in ${perStep(transactions)} transactions, ${(statementMs / steps).toFixed(2)} ms in the driver`,
    );
    for (const t of tallies.slice(0, STATEMENTS_SHOWN))
      console.log(
        `  ${String(t.count).padStart(4)}× ${ms(t.ms).padStart(10)} (max ${ms(t.maxMs)})  ${t.sql.slice(0, 130)}`,
      );
    console.log(
      `rows added per run: ${total.toFixed(0)} (${written.map(([table, n]) => `${table} ${Number(n.toFixed(1))}`).join(", ")})`,
    );
  } finally {
    await bench.close();
  }
}
