// Crewdeck scaled out (issue 19): two server processes that only enqueue and two `pnpm worker` processes
// that run the steps and chat replies, on one Redis (BullMQ) and one libSQL file. A worker killed with
// SIGKILL mid-step leaves its run to the other, with no finished step run again and no call charged twice;
// the emergency stop pulled through one server aborts a reply streaming on a worker within a second.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, type Database } from "@crewdeck/db";
import type { AnyBusEvent } from "@crewdeck/engine";
import {
  type FakeAnthropic,
  redisServerAvailable,
  startFakeAnthropic,
  startRedisServer,
  type TestRedis,
} from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, architectConversation, type Child, killed, startChild, startWorkerChild } from "./child-server";
import { eventually, openRawStream, until } from "./live-events";
import { DEFAULT_PIPELINE_ROLES, ROLE_ANSWERS } from "./role-answers";

describe.runIf(await redisServerAvailable())("two servers and two workers on Redis", () => {
  let redis: TestRedis;
  let fake: FakeAnthropic;
  let dataDir: string;
  let env: Record<string, string>;
  let db: Database;
  let server1: Child;
  let server2: Child;
  const workers: Child[] = [];
  const children: Child[] = [];
  let token: string;
  let projectId: string;

  beforeAll(async () => {
    redis = await startRedisServer();
    fake = await startFakeAnthropic({ apiKey: "sk-ant-scale" });
    dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-scale-"));
    env = {
      DATA_DIR: dataDir,
      ANTHROPIC_API_KEY: "sk-ant-scale",
      ANTHROPIC_BASE_URL: fake.url,
      REDIS_URL: redis.url,
      // A dead worker's job and step move on within about this long.
      STEP_LEASE_MS: "3000",
      AGENT_SANDBOX: "none",
    };
    // The first process creates the database (and the auth secret the others then share through DATA_DIR).
    server1 = await startChild(env);
    children.push(server1);
    const started = await Promise.all([
      startChild(env),
      startWorkerChild({ ...env, WORKER_CONCURRENCY: "2" }),
      startWorkerChild({ ...env, WORKER_CONCURRENCY: "2" }),
    ]);
    server2 = started[0];
    workers.push(started[1], started[2]);
    children.push(...started);
    db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
    const reg = await api(server1, "POST", "/auth/register", undefined, {
      email: "scale@example.test",
      username: "scale",
      password: "correct horse battery",
    });
    token = reg.body.access_token as string;
    projectId = (await api(server2, "POST", "/projects", token, { name: "Scaled" })).body.id;
  }, 120_000);

  afterAll(async () => {
    for (const child of children) await killed(child);
    db?.$client.close();
    await fake?.close();
    await redis?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("reports the queue in /health: on Redis, with both workers taking jobs", async () => {
    const res = await fetch(`${server1.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { services: { queue: string }; queue: unknown };
    expect(body.services.queue).toBe("up");
    expect(body.queue).toMatchObject({ mode: "bullmq", redis: "up", workers: 2, concurrency: 0 });
  });

  it("streams every event of a run on the workers to server 1, in order and once, and resumes on server 2", async () => {
    const task = await api(server1, "POST", "/tasks", token, { title: "Watch it live", projectId });
    const taskId = task.body.id as string;
    const auth = { authorization: `Bearer ${token}` };
    const query = `?taskId=${taskId}`;
    // One subscriber stays on server 2 throughout: what the interrupted one sees must add up to exactly this.
    const whole = await openRawStream(server2.url, auth, query);
    const first = await openRawStream(server1.url, auth, query);
    expect([whole.res.status, first.res.status]).toEqual([200, 200]);
    // Step 3 streams slowly, so the interrupted subscriber misses some of its words.
    fake.enqueue(
      ...DEFAULT_PIPELINE_ROLES.map((role, i) => {
        const answer = ROLE_ANSWERS[role] ?? "";
        return i === 2 ? { text: answer.match(/[\s\S]{1,8}/g) ?? [], chunkDelayMs: 40 } : { text: answer };
      }),
    );
    expect((await api(server2, "POST", `/tasks/${taskId}/start`, token, {})).status).toBe(200);
    const deltasOfStep3 = () =>
      first.events().filter((e) => e.type === "message_delta").length >
      first.events().filter((e) => e.type === "message").length + 3;
    await eventually(() => {
      const atStep3 = first.events().some((e) => e.type === "pipeline_update" && e.payload.currentStep === 2);
      if (!atStep3 || !deltasOfStep3()) throw new Error("step 3 not streaming yet");
    }, 30_000);
    await first.close();
    const seen = first.events();
    const second = await openRawStream(server2.url, { ...auth, "last-event-id": seen.at(-1)!.id }, query);
    expect(second.res.status).toBe(200);

    const done = (events: AnyBusEvent[]) => events.some((e) => e.type === "task_completed");
    await eventually(() => {
      if (!done(second.events()) || !done(whole.events())) throw new Error("the run is not over yet");
    }, 60_000);
    // Events published after task_completed (the agents going idle are not of the task) have had time.
    await new Promise((r) => setTimeout(r, 500));
    await second.close();
    await whole.close();
    const resumed = second.events();
    const all = [...seen, ...resumed];
    const ids = (events: AnyBusEvent[]) => events.map((e) => e.id);
    expect(resumed.length).toBeGreaterThan(0);
    expect(ids(all)).toEqual(ids(whole.events()));
    expect(all).toEqual(whole.events());
    expect(new Set(ids(all)).size).toBe(all.length);

    // What the run stored, as the events told it: each step's message built from its deltas, in order…
    const run = await db.query.runs.findFirst({ where: (r, { eq }) => eq(r.taskId, taskId) });
    expect(run?.status).toBe("completed");
    const steps = await db.query.runSteps.findMany({
      where: (s, { eq }) => eq(s.runId, run!.id),
      orderBy: (s, { asc }) => asc(s.stepIndex),
    });
    const stored = await db.query.messages.findMany({
      where: (m, { eq }) => eq(m.runId, run!.id),
    });
    const byId = new Map(stored.map((m) => [m.id, m]));
    const stepMessages = steps.map((s) => byId.get(s.messageId!)!);
    const streamed = new Map<string, string>();
    for (const e of all)
      if (e.type === "message_delta")
        streamed.set(e.payload.messageId, (streamed.get(e.payload.messageId) ?? "") + e.payload.delta);
    expect(stepMessages.map((m) => streamed.get(m.id))).toEqual(stepMessages.map((m) => m.content));
    // …each message announced as it was stored, the deltas of a step before its completed message…
    const lastMessage = (id: string) =>
      all.findLast(
        (e): e is Extract<AnyBusEvent, { type: "message" }> => e.type === "message" && e.payload.id === id,
      );
    for (const m of stepMessages) {
      expect(lastMessage(m.id)?.payload).toMatchObject({ content: m.content, status: m.status });
      const lastDelta = all.findLastIndex((e) => e.type === "message_delta" && e.payload.messageId === m.id);
      expect(lastDelta).toBeLessThan(all.indexOf(lastMessage(m.id)!));
    }
    // …the pipeline moving forward one step at a time to the run's stored end, and the task completed once.
    const pipeline = all.flatMap((e) => (e.type === "pipeline_update" ? [e.payload] : []));
    const currentSteps = pipeline.map((p) => p.currentStep);
    expect(currentSteps).toEqual([...currentSteps].sort((a, b) => a - b));
    expect(new Set(currentSteps)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(pipeline.at(-1)).toMatchObject({
      runId: run!.id,
      runStatus: "completed",
      steps: steps.map((s) => ({ status: s.status })),
    });
    const completed = all.filter((e) => e.type === "task_completed");
    expect(completed).toHaveLength(1);
    const storedTask = await db.query.tasks.findFirst({ where: (t, { eq }) => eq(t.id, taskId) });
    expect(completed[0]!.payload).toMatchObject({ taskId, status: storedTask!.status });
    const progress = all.flatMap((e) => (e.type === "task_progress" ? [e.payload.progress.completed] : []));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(6);
  }, 120_000);

  it("finishes a run on the other worker after SIGKILL of the one running its step, charging nothing twice", async () => {
    const task = await api(server1, "POST", "/tasks", token, { title: "Survive a worker", projectId });
    const taskId = task.body.id as string;
    const usage = (i: number) => ({ input: 700 + i, output: 70 + i, cacheRead: 0, cacheWrite: 0 });
    fake.enqueue(
      { text: ROLE_ANSWERS[DEFAULT_PIPELINE_ROLES[0]], usage: usage(0) },
      { text: ROLE_ANSWERS[DEFAULT_PIPELINE_ROLES[1]], usage: usage(1) },
      // Step 3 streams slowly: its worker dies in the middle of it.
      { text: Array(200).fill("word "), chunkDelayMs: 50, usage: usage(99) },
    );
    const before = fake.requests.length;
    expect((await api(server2, "POST", `/tasks/${taskId}/start`, token, {})).status).toBe(200);
    // This run's steps only: the suite's other runs share the database.
    const run = await until("the run to start", async () =>
      db.query.runs.findFirst({ where: (r, { eq }) => eq(r.taskId, taskId) }),
    );
    const runSteps = () =>
      db.query.runSteps.findMany({
        where: (s, { eq }) => eq(s.runId, run.id),
        orderBy: (s, { asc }) => asc(s.stepIndex),
      });
    const step3 = await until("step 3 streaming on a worker", async () => {
      const steps = await runSteps();
      const mine = steps.filter((s) => s.stepIndex === 2 && s.status === "running");
      return mine[0] && fake.requests.length - before === 3 ? mine[0] : undefined;
    });
    // The lease names the process that holds the step: that worker is killed.
    const pid = Number(step3.leaseOwner?.split("|")[1]);
    const doomed = workers.find((w) => w.process.pid === pid);
    expect(doomed, `a worker (pid ${pid}) holds step 3`).toBeDefined();
    await new Promise((r) => setTimeout(r, 300));
    await killed(doomed!);

    fake.enqueue(
      ...DEFAULT_PIPELINE_ROLES.slice(2).map((role, i) => ({
        text: ROLE_ANSWERS[role],
        usage: usage(i + 2),
      })),
    );
    const status = await until(
      "the run to complete on the surviving worker",
      async () => {
        const s = await api(server1, "GET", `/tasks/${taskId}/status`, token);
        return s.body.runStatus === "completed" ? s.body : undefined;
      },
      60_000,
    );
    expect(status).toMatchObject({ isComplete: true, progress: { completed: 6, total: 6 } });
    // Steps 1 and 2 ran once; step 3 once before the kill and once after; then 4, 5, 6.
    expect(fake.requests.length - before).toBe(7);
    const steps = await runSteps();
    expect(steps.map((s) => s.attempts)).toEqual([1, 1, 2, 1, 1, 1]);
    const survivor = workers.find((w) => w !== doomed)!;
    expect(steps.slice(2).every((s) => s.status === "completed")).toBe(true);
    // The survivor took step 3 over: the steps after it were its own (their leases were cleared on
    // completion, so the run's log says who worked).
    expect(survivor.process.exitCode).toBeNull();

    const records = await db.query.usageRecords.findMany({ where: (r, { eq }) => eq(r.taskId, taskId) });
    const settled = records.filter((r) => r.status === "settled");
    expect(settled.map((r) => r.inputTokens).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => usage(i).input));
    const estimated = records.filter((r) => r.status === "estimated");
    expect(estimated).toHaveLength(1);
    expect(records).toHaveLength(7);
    const held = await db.query.budgetReservations.findMany({ where: (r, { eq }) => eq(r.status, "held") });
    expect(held).toHaveLength(0);
    workers.splice(workers.indexOf(doomed!), 1);
  }, 120_000);

  it("answers a chat message again on a new worker after SIGKILL of the worker streaming the reply", async () => {
    const crew = (await api(server1, "GET", `/projects/${projectId}/agents`, token)).body.items as {
      id: string;
      role: string;
    }[];
    const architect = crew.find((agent) => agent.role === "architect")!;
    const conversationId = await architectConversation(
      server2,
      token,
      projectId,
      architect.id,
      "Crash mid-reply",
    );
    // The reply streams its first words, then hangs: its worker dies in the middle of it.
    const hung = fake.hold(() => false);
    fake.enqueue(
      { text: ["Partial ", "answer"], gate: hung },
      { text: "Answered again", usage: { input: 12, output: 3 } },
    );
    const before = fake.requests.length;
    const posted = await api(server2, "POST", `/conversations/${conversationId}/messages`, token, {
      content: "Explain the design",
    });
    expect(posted.status).toBe(200);
    await hung.reached;
    // The streamed words reach the event log before the worker dies.
    await new Promise((r) => setTimeout(r, 500));
    // The one worker left dies; a new one starts and finds the job its predecessor held.
    const dying = workers.splice(0, 1)[0]!;
    await killed(dying);
    const fresh = await startWorkerChild({ ...env, WORKER_CONCURRENCY: "2" });
    children.push(fresh);
    workers.push(fresh);

    const agentMessages = () =>
      db.query.messages.findMany({
        where: (m, { and, eq }) => and(eq(m.conversationId, conversationId), eq(m.authorType, "agent")),
        orderBy: (m, { asc }) => [asc(m.createdAt), asc(m.id)],
      });
    const [cutOff, again] = await until(
      "the message to be answered again",
      async () => {
        const rows = await agentMessages();
        return rows.length === 2 && rows[1]?.status === "complete" ? rows : undefined;
      },
      30_000,
    );
    expect(cutOff).toMatchObject({ status: "error", metadata: { interrupted: true } });
    expect(cutOff!.content).toBe("Partial \n\n(The reply was cut off when the server stopped.)");
    expect(again).toMatchObject({ content: "Answered again", metadata: { retryOf: cutOff!.id } });
    expect(fake.requests.length - before).toBe(2);
    // The cut-off call is charged at its estimate, the second at what the provider reported; nothing held.
    const records = await db.query.usageRecords.findMany({
      where: (r, { eq }) => eq(r.conversationId, conversationId),
    });
    expect(records.map((r) => r.status).sort()).toEqual(["estimated", "settled"]);
    expect(records.find((r) => r.status === "settled")).toMatchObject({ inputTokens: 12, outputTokens: 3 });
    const held = await db.query.budgetReservations.findMany({ where: (r, { eq }) => eq(r.status, "held") });
    expect(held).toHaveLength(0);
  }, 90_000);

  it("stops a step's call streaming on a worker within a second of the run cancelled through a server", async () => {
    const task = await api(server1, "POST", "/tasks", token, { title: "Cancel me", projectId });
    const taskId = task.body.id as string;
    const gate = fake.hold();
    fake.enqueue({ text: ["The ", "problem ", "is"], usage: { input: 30, output: 3 } });
    expect((await api(server1, "POST", `/tasks/${taskId}/start`, token, {})).status).toBe(200);
    await gate.reached;

    const pulled = Date.now();
    const cancelled = await api(server2, "POST", `/tasks/${taskId}/cancel`, token, {});
    expect(cancelled.status).toBe(200);
    // The call's usage row leaves `pending` only once the call on the worker has ended.
    const record = await until(
      "the step's call to end",
      async () => {
        const row = await db.query.usageRecords.findFirst({ where: (r, { eq }) => eq(r.taskId, taskId) });
        return row && row.status !== "pending" ? row : undefined;
      },
      5_000,
    );
    const elapsed = Date.now() - pulled;
    gate.release();
    expect(record).toMatchObject({ outcome: "cancelled" });
    expect(elapsed).toBeLessThan(1_000);
    const run = await db.query.runs.findFirst({ where: (r, { eq }) => eq(r.taskId, taskId) });
    expect(run?.status).toBe("cancelled");
    const steps = await db.query.runSteps.findMany({ where: (s, { eq }) => eq(s.runId, run!.id) });
    expect(steps.every((s) => s.status === "cancelled")).toBe(true);
  }, 60_000);

  it("goes on with a step on another worker after its worker is stopped gracefully (SIGTERM, a deploy)", async () => {
    const other = await startWorkerChild({ ...env, WORKER_CONCURRENCY: "2" });
    children.push(other);
    workers.push(other);
    const task = await api(server1, "POST", "/tasks", token, { title: "Survive a deploy", projectId });
    const taskId = task.body.id as string;
    fake.enqueue({ text: Array(200).fill("word "), chunkDelayMs: 50, usage: { input: 1, output: 1 } });
    const before = fake.requests.length;
    expect((await api(server2, "POST", `/tasks/${taskId}/start`, token, {})).status).toBe(200);
    const run = await until("the run to start", async () =>
      db.query.runs.findFirst({ where: (r, { eq }) => eq(r.taskId, taskId) }),
    );
    const step1 = await until("step 1 streaming on a worker", async () => {
      const step = await db.query.runSteps.findFirst({
        where: (s, { and, eq }) => and(eq(s.runId, run.id), eq(s.stepIndex, 0)),
      });
      return step?.status === "running" && step.leaseOwner && fake.requests.length > before
        ? step
        : undefined;
    });
    const pid = Number(step1.leaseOwner?.split("|")[1]);
    const stopping = workers.find((w) => w.process.pid === pid)!;
    expect(stopping, `a worker (pid ${pid}) holds step 1`).toBeDefined();
    fake.enqueue(...DEFAULT_PIPELINE_ROLES.map((role) => ({ text: ROLE_ANSWERS[role] })));
    const exited = new Promise<number | null>((resolve) => stopping.process.once("exit", resolve));
    stopping.process.kill("SIGTERM");
    expect(await exited).toBe(0);
    workers.splice(workers.indexOf(stopping), 1);

    await until(
      "the run to complete on the other worker",
      async () => {
        const row = await db.query.runs.findFirst({ where: (r, { eq }) => eq(r.id, run.id) });
        return row?.status === "completed" ? row : undefined;
      },
      60_000,
    );
    const steps = await db.query.runSteps.findMany({
      where: (s, { eq }) => eq(s.runId, run.id),
      orderBy: (s, { asc }) => asc(s.stepIndex),
    });
    expect(steps.map((s) => s.attempts)).toEqual([2, 1, 1, 1, 1, 1]);
    expect(fake.requests.length - before).toBe(7);
    // The call the stop cut off was settled by the stopping worker itself (for what had arrived): none pending.
    const records = await db.query.usageRecords.findMany({ where: (r, { eq }) => eq(r.taskId, taskId) });
    expect(records).toHaveLength(7);
    expect(records.filter((r) => r.status === "pending")).toHaveLength(0);
  }, 90_000);

  it("ends a round of replies on a worker when Stop is pressed on the other server: the agents after it never start", async () => {
    const crew = (await api(server1, "GET", `/projects/${projectId}/agents`, token)).body.items as {
      id: string;
      role: string;
    }[];
    const roles = ["architect", "senior-developer", "qa-engineer"];
    const conversation = await api(server1, "POST", "/conversations", token, {
      title: "Stopped round",
      projectId,
      agentIds: roles.map((role) => crew.find((agent) => agent.role === role)!.id),
    });
    const conversationId = conversation.body.id as string;
    const agentMessages = () =>
      db.query.messages.findMany({
        where: (m, { and, eq }) => and(eq(m.conversationId, conversationId), eq(m.authorType, "agent")),
        orderBy: (m, { asc }) => [asc(m.createdAt), asc(m.id)],
      });
    const gate = fake.hold();
    fake.enqueue({ text: ["Half a plan, ", "the rest unsaid"] });
    const before = fake.requests.length;
    const posted = await api(server1, "POST", `/conversations/${conversationId}/messages`, token, {
      content: "Plan it",
    });
    expect(posted.status).toBe(200);
    await gate.reached;

    const stopped = await api(server2, "POST", `/conversations/${conversationId}/stop`, token);
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
    expect(stopped.body).toEqual({ stopped: 1, skipped: 2 });
    const [first] = await until(
      "the reply to stop",
      async () => {
        const rows = await agentMessages();
        return rows[0] && rows[0].status !== "streaming" ? rows : undefined;
      },
      5_000,
    );
    gate.release();
    expect(first).toMatchObject({ status: "cancelled", content: "Half a plan, " });
    // The worker releases the budget of the two agents it skips.
    await until(
      "the skipped replies' budget released",
      async () => {
        const held = await db.query.budgetReservations.findMany({
          where: (r, { eq }) => eq(r.status, "held"),
        });
        return held.length === 0 ? true : undefined;
      },
      5_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await agentMessages()).toHaveLength(1);
    expect(fake.requests.length - before).toBe(1);

    // The next post is answered by all three.
    fake.enqueue({ text: "One" }, { text: "Two" }, { text: "Three" });
    const next = await api(server2, "POST", `/conversations/${conversationId}/messages`, token, {
      content: "Go on",
    });
    expect(next.status).toBe(200);
    const rows = await until(
      "all three answers",
      async () => {
        const all = await agentMessages();
        return all.length === 4 && all.every((m) => m.status !== "streaming") ? all : undefined;
      },
      20_000,
    );
    expect(rows.slice(1).map((m) => [m.status, m.content])).toEqual([
      ["complete", "One"],
      ["complete", "Two"],
      ["complete", "Three"],
    ]);
  }, 60_000);

  it("aborts a reply streaming on a worker within a second of the emergency stop pulled on the other server", async () => {
    const crew = (await api(server1, "GET", `/projects/${projectId}/agents`, token)).body.items as {
      id: string;
      role: string;
    }[];
    const developer = crew.find((agent) => agent.role === "senior-developer")!;
    const conversation = await api(server1, "POST", "/conversations", token, {
      title: "Runaway",
      projectId,
      agentIds: [developer.id],
    });
    const gate = fake.hold();
    fake.enqueue({ text: ["First ", "half ", "never sent"], usage: { input: 40, output: 6 } });
    const posted = await api(server1, "POST", `/conversations/${conversation.body.id}/messages`, token, {
      content: "Write it",
    });
    expect(posted.status).toBe(200);
    await gate.reached;

    const pulled = Date.now();
    const paused = await api(server2, "POST", "/emergency/pause-all", token, { reason: "Runaway costs" });
    expect(paused.status).toBe(200);
    const reply = await until(
      "the reply to stop",
      async () => {
        const row = await db.query.messages.findFirst({
          where: (m, { and, eq }) =>
            and(eq(m.conversationId, conversation.body.id), eq(m.authorType, "agent")),
        });
        return row && row.status !== "streaming" ? row : undefined;
      },
      5_000,
    );
    const elapsed = Date.now() - pulled;
    gate.release();
    expect(reply).toMatchObject({ status: "cancelled", content: "First " });
    expect(elapsed).toBeLessThan(1_000);
  }, 60_000);
});
