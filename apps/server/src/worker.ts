// `pnpm worker`: a process that runs steps and chat replies off the queue (QUEUE_URL) and serves nothing
// over HTTP. Start as many as the work needs, next to one or more servers on the same database and Redis.
import { mkdir } from "node:fs/promises";
import { createDatabase, migrateDatabase } from "@crewdeck/db";
import { seedModelCatalog } from "@crewdeck/engine";
import { buildEngine } from "./build-engine";
import { preparePrivateDataDir } from "./data-dir";
import { EnvError, loadEnv, type ServerConfig } from "./env";
import { recoverAfterStart } from "./recover";
import { runProcess } from "./run-process";
import { resolveAuthSecret } from "./secret";
import { consoleLogger } from "./server";

/** Steps and replies a worker runs at once unless WORKER_CONCURRENCY says otherwise. */
export const DEFAULT_WORKER_CONCURRENCY = 4;

export type RunningWorker = { close: () => Promise<void> };

export async function startWorker(config: ServerConfig, logger = consoleLogger(config.LOG_LEVEL)) {
  if (!config.QUEUE_URL) {
    throw new EnvError(
      "A worker takes its work from a queue: set QUEUE_URL (or REDIS_URL) to a redis:// URL",
    );
  }
  await preparePrivateDataDir(config.DATA_DIR, logger);
  const db = await createDatabase({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  await migrateDatabase(db);
  await seedModelCatalog(db);
  // Provider keys stored by an administrator are sealed with the auth secret: every process needs the same
  // one (AUTH_SECRET, or a shared DATA_DIR).
  const secret = await resolveAuthSecret(config.DATA_DIR, config.AUTH_SECRET);
  const concurrency = config.WORKER_CONCURRENCY ?? DEFAULT_WORKER_CONCURRENCY;
  const { engine, outbox } = buildEngine(config, { db, secret, logger, queueConcurrency: concurrency });
  await mkdir(config.WORKSPACES_DIR, { recursive: true });
  await recoverAfterStart(engine, logger);
  await engine.control?.ready;
  logger.info(`Crewdeck worker ${config.version} ready: ${concurrency} at once (pid ${process.pid})`);
  return {
    async close() {
      // Steps under way stop where they are; their leases end, so the next worker picks them up at once.
      engine.calls.abortHere({ all: true }, "shutdown");
      await engine.steps.close();
      await engine.control?.close();
      await engine.replies.idle();
      await outbox.close().catch(() => {});
      await engine.bus.close().catch(() => {});
      db.$client.close();
    },
  };
}

runProcess(() => startWorker(loadEnv()), "stopping the work under way, then exiting");
