// The engine as every process builds it (a server, a worker): the database, the providers, agents' tools
// and workspaces, GitHub, and (with QUEUE_URL) the BullMQ queue its steps and chat replies go through.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { filePath } from "@crewdeck/api";
import type { Database } from "@crewdeck/db";
import {
  createDatabaseEventBus,
  createDefaultToolRegistry,
  createEngine,
  createEventOutbox,
  createGitRunner,
  createProviderRegistry,
  createRedisEventBus,
  createWorkspaceManager,
  type Engine,
} from "@crewdeck/engine";
import { createOctokitFactory, createRedactingLogger, type GitHubDeps } from "@crewdeck/github";
import type { ServerConfig } from "./env";
import type { Logger } from "./http/app";

export type BuiltEngine = {
  engine: Engine;
  /** Relays events written with the changes they describe; close it before the bus. */
  outbox: ReturnType<typeof createEventOutbox>;
  github: GitHubDeps;
  githubLogger: ReturnType<typeof createRedactingLogger>;
  providerEnvironment: Parameters<typeof createProviderRegistry>[0]["env"];
  filesDir: string;
};

export function buildEngine(
  config: ServerConfig,
  input: {
    db: Database;
    secret: string;
    logger: Logger;
    /** Steps and chat replies this process runs off the queue (0: it only enqueues). */
    queueConcurrency: number;
  },
): BuiltEngine {
  const { db, secret, logger } = input;
  const filesDir = path.join(config.DATA_DIR, "files");
  const providerEnvironment = {
    anthropicApiKey: config.ANTHROPIC_API_KEY,
    anthropicBaseUrl: config.ANTHROPIC_BASE_URL,
    openaiApiKey: config.OPENAI_API_KEY,
    openaiBaseUrl: config.OPENAI_BASE_URL,
  };
  const githubLogger = createRedactingLogger({
    debug: () => {},
    info: () => {},
    warn: (message) => logger.info(`GitHub: ${message}`),
    error: (message, meta) => logger.error(`GitHub: ${message}`, meta),
  });
  const github: GitHubDeps = {
    db,
    secret,
    env: {
      webUrl: config.GITHUB_WEB_URL,
      apiUrl: config.GITHUB_API_URL,
      clientId: config.GITHUB_CLIENT_ID,
      clientSecret: config.GITHUB_CLIENT_SECRET,
      appId: config.GITHUB_APP_ID,
      appPrivateKey: config.GITHUB_APP_PRIVATE_KEY,
      webhookSecret: config.GITHUB_WEBHOOK_SECRET,
    },
    // Octokit's warnings (rate limits, retries) reach the log with every token removed; its debug chatter not.
    octokit: createOctokitFactory({ logger: githubLogger }),
    now: () => new Date(),
  };
  // Agents' workspaces and their tools: commands run sandboxed (AGENT_SANDBOX) and can never see the data
  // directory (database, secret, uploads) nor other tasks' workspaces.
  const git = createGitRunner();
  const onBusError = (message: string, error: unknown) => logger.error(message, error);
  // EVENT_BUS_URL (or REDIS_URL): one Redis stream every process appends to and reads from. Otherwise the
  // events table of this one process.
  const bus = config.EVENT_BUS_URL
    ? createRedisEventBus(config.EVENT_BUS_URL, { retention: config.EVENT_RETENTION, onError: onBusError })
    : createDatabaseEventBus(db, { retentionMs: config.EVENT_RETENTION.maxAgeMs, onError: onBusError });
  // Events written with the changes they describe are relayed from here (rows a crash left go first).
  const outbox = createEventOutbox(db, bus, { onError: onBusError });
  const engine = createEngine({
    db,
    bus,
    outbox,
    providers: createProviderRegistry({ db, secret, env: providerEnvironment }),
    now: () => new Date(),
    logger,
    defaultDailySpendCapUsd: config.DEFAULT_DAILY_SPEND_CAP_USD,
    rulesFileCacheMs: config.RULES_FILE_CACHE_MS,
    readFile: (storedName) => readFile(filePath({ filesDir }, storedName)),
    tools: createDefaultToolRegistry({
      workspaceTools: {
        sandbox: { mode: config.AGENT_SANDBOX, hiddenPaths: [config.DATA_DIR, config.WORKSPACES_DIR] },
        git,
      },
    }),
    code: {
      workspaces: createWorkspaceManager({
        rootDir: config.WORKSPACES_DIR,
        git,
        now: () => new Date(),
        maxBytes: config.WORKSPACE_MAX_BYTES,
      }),
      git,
      github,
    },
    stepLease: { leaseMs: config.STEP_LEASE_MS, heartbeatMs: Math.floor(config.STEP_LEASE_MS / 6) },
    ...(config.QUEUE_URL && {
      queue: { url: config.QUEUE_URL, concurrency: input.queueConcurrency },
    }),
  });
  return { engine, outbox, github, githubLogger, providerEnvironment, filesDir };
}
