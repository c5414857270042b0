// What `pnpm worker` runs once its build is done: the compiled worker, in production mode. Without a queue
// it refuses to start and says why; with one, it takes the chat replies a server queues.
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createDatabase } from "@crewdeck/db";
import {
  type FakeAnthropic,
  redisServerAvailable,
  startFakeAnthropic,
  startRedisServer,
  type TestRedis,
} from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, type Child, killed, startChild, startWorkerChild } from "./child-server";
import { until } from "./live-events";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const run = promisify(execFile);
const withRedis = await redisServerAvailable();

describe("pnpm worker", () => {
  let serve: string;
  let dataDir: string;
  const children: Child[] = [];

  beforeAll(async () => {
    const script: string = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts
      .worker;
    const steps = script.split(" && ");
    const isBuild = (step: string) => /^pnpm .*\bbuild$/.test(step);
    expect(steps.some((step) => isBuild(step) && step.includes("@crewdeck/server"))).toBe(true);
    serve = steps.filter((step) => !isBuild(step)).join(" && ");
    expect(serve).toMatch(/NODE_ENV=production node dist\/worker\.js$/);
    execFileSync("pnpm", ["--silent", "--filter", "@crewdeck/server", "build"], { cwd: REPO_ROOT });
    dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-worker-"));
  }, 180_000);
  afterAll(async () => {
    for (const child of children) await killed(child);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses to start without a queue, saying which setting it needs", async () => {
    const { QUEUE_URL: _q, REDIS_URL: _r, ...env } = process.env;
    const failed = await run("sh", ["-c", serve], {
      cwd: REPO_ROOT,
      env: { ...env, DATA_DIR: dataDir },
    }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("set QUEUE_URL (or REDIS_URL)");
  }, 60_000);

  describe.runIf(withRedis)("on Redis", () => {
    let redis: TestRedis;
    let fake: FakeAnthropic;
    beforeAll(async () => {
      redis = await startRedisServer();
      fake = await startFakeAnthropic({ apiKey: "sk-ant-worker" });
    });
    afterAll(async () => {
      for (const child of children.splice(0)) await killed(child);
      await fake?.close();
      await redis?.stop();
    });

    it("answers the chat messages a server queued, and the server's /health counts it", async () => {
      const env = {
        DATA_DIR: dataDir,
        ANTHROPIC_API_KEY: "sk-ant-worker",
        ANTHROPIC_BASE_URL: fake.url,
        REDIS_URL: redis.url,
      };
      const server = await startChild(env);
      children.push(server);
      const worker = await startWorkerChild(env, { command: "sh", args: ["-c", serve], cwd: REPO_ROOT });
      children.push(worker);

      const health = await fetch(`${server.url}/health`).then((res) => res.json());
      expect(health).toMatchObject({
        services: { queue: "up" },
        queue: { mode: "bullmq", redis: "up", workers: 1, concurrency: 0 },
      });

      const reg = await api(server, "POST", "/auth/register", undefined, {
        email: "worker@example.test",
        username: "worker",
        password: "correct horse battery",
      });
      const token = reg.body.access_token as string;
      const project = await api(server, "POST", "/projects", token, { name: "Queued" });
      const crew = (await api(server, "GET", `/projects/${project.body.id}/agents`, token)).body.items as {
        id: string;
      }[];
      const conversation = await api(server, "POST", "/conversations", token, {
        title: "Hello",
        projectId: project.body.id,
        agentIds: [crew[0]!.id],
      });
      fake.enqueue({ text: "Hello from a worker", usage: { input: 5, output: 4 } });
      const posted = await api(server, "POST", `/conversations/${conversation.body.id}/messages`, token, {
        content: "Hi",
      });
      expect(posted.status).toBe(200);
      const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
      try {
        const reply = await until("the worker's reply", async () => {
          const row = await db.query.messages.findFirst({
            where: (m, { and, eq }) =>
              and(eq(m.conversationId, conversation.body.id), eq(m.authorType, "agent")),
          });
          return row?.status === "complete" ? row : undefined;
        });
        expect(reply.content).toBe("Hello from a worker");
      } finally {
        db.$client.close();
      }

      // Redis gone: /health still answers at once, degraded, and says the queue is down.
      await redis.stop();
      const asked = Date.now();
      const down = await fetch(`${server.url}/health`);
      expect(Date.now() - asked).toBeLessThan(2_500);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        services: { database: "up", queue: "down" },
        queue: { mode: "bullmq", redis: "down", workers: null },
      });
    }, 120_000);
  });
});
