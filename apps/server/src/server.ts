// Builds and starts the whole server from its settings; tests start it the same way on a temporary file.

import { mkdir } from "node:fs/promises";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type ApiDeps,
  createOpenEventStreams,
  createRateLimiters,
  createSignUpGate,
  reviewLoopEffects,
  sweepOrphanedFiles,
  verificationEmail,
} from "@crewdeck/api";
import { initAuth } from "@crewdeck/auth";
import { createDatabase, isEmbeddedUrl, migrateDatabase } from "@crewdeck/db";
import {
  conversationScope,
  createRedisConnection,
  publishMessage,
  seedModelCatalog,
  stageEvent,
  sweepTaskWorkspaces,
  transactionWithEvents,
} from "@crewdeck/engine";
import { createWebhookWorker } from "@crewdeck/github";
import { serve } from "@hono/node-server";
import { buildEngine } from "./build-engine";
import { preparePrivateDataDir } from "./data-dir";
import type { ServerConfig } from "./env";
import { type GitHubSyncJob, startGitHubSyncJob } from "./github-sync-job";
import { createApp, type Logger } from "./http/app";
import { createMailer } from "./mailer";
import { attachPlainWebSocket } from "./realtime/plain-websocket";
import { attachSocketIo } from "./realtime/socket-io";
import { recoverAfterStart } from "./recover";
import { resolveAuthSecret } from "./secret";

export type RunningServer = {
  url: string;
  port: number;
  deps: ApiDeps;
  /** The scheduled GitHub sync; `runOnce` runs a round now. */
  githubSync: GitHubSyncJob;
  close: () => Promise<void>;
};

export const consoleLogger = (level: ServerConfig["LOG_LEVEL"]): Logger => ({
  info: (message) => {
    if (level === "debug" || level === "info") console.log(message);
  },
  warn: (message) => {
    if (level === "debug" || level === "info" || level === "warn") console.warn(message);
  },
  error: (message, error) => {
    if (level === "silent") return;
    // Database errors carry the driver's reason (busy, constraint…) in `cause`.
    const cause =
      error instanceof Error && error.cause instanceof Error ? `\nCaused by: ${error.cause.message}` : "";
    console.error(message, error instanceof Error ? `${error.stack}${cause}` : (error ?? ""));
  },
});

/**
 * The connection the rate limits share: commands fail at once while Redis is unreachable (the limits are
 * then counted in this process until it is back) instead of holding requests. Waits a few seconds for it
 * at start-up, so the first requests are counted where the others are.
 */
async function connectSharedRedis(url: string | undefined, logger: Logger) {
  if (!url) return null;
  const redis = createRedisConnection(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let reported = false;
  redis.on("error", (error) => {
    if (reported) return;
    reported = true;
    logger.error("Redis (rate limits) is unreachable; limits are counted in this process meanwhile", error);
  });
  redis.on("ready", () => {
    reported = false;
  });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 5_000);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return redis;
}

export async function startServer(
  config: ServerConfig,
  logger = consoleLogger(config.LOG_LEVEL),
): Promise<RunningServer> {
  await preparePrivateDataDir(config.DATA_DIR, logger);
  const db = await createDatabase({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  await migrateDatabase(db);
  await seedModelCatalog(db);

  const trustedOrigins = [...new Set([new URL(config.APP_URL).origin, ...config.TRUSTED_ORIGINS])];
  const secret = await resolveAuthSecret(config.DATA_DIR, config.AUTH_SECRET);
  // With a queue, servers leave steps and replies to `pnpm worker` unless WORKER_CONCURRENCY says otherwise.
  const { engine, outbox, github, githubLogger, providerEnvironment, filesDir } = buildEngine(config, {
    db,
    secret,
    logger,
    queueConcurrency: config.WORKER_CONCURRENCY ?? 0,
  });
  const siteDefaults = {
    signupMode: config.SIGNUP_MODE,
    dailySpendCapUsd: config.DEFAULT_DAILY_SPEND_CAP_USD,
  };
  const mailer = createMailer(config);
  const auth = initAuth({
    logger,
    db,
    secret,
    baseURL: config.APP_URL,
    trustedOrigins,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_DAYS * 86_400,
    rateLimit: {
      windowSeconds: config.RATE_LIMIT_LOGIN_WINDOW_SECONDS,
      registerMax: config.RATE_LIMIT_REGISTER_MAX,
    },
    signUpGate: createSignUpGate({ db, siteDefaults }),
    // With a mailer, addresses are verified before first sign-in; without one they are taken on trust.
    sendVerificationEmail: mailer ? (message) => mailer.send(verificationEmail(message)) : undefined,
  });
  const loginWindow = config.RATE_LIMIT_LOGIN_WINDOW_SECONDS;
  const rateLimits = {
    login: { points: config.RATE_LIMIT_LOGIN_MAX, durationSeconds: loginWindow },
    loginIp: { points: config.RATE_LIMIT_LOGIN_IP_MAX, durationSeconds: loginWindow },
    loginBackoff: {
      freeFailures: config.RATE_LIMIT_LOGIN_BACKOFF_FREE_FAILURES,
      maxDelaySeconds: config.RATE_LIMIT_LOGIN_BACKOFF_MAX_SECONDS,
    },
    twoFactor: { points: config.RATE_LIMIT_2FA_MAX, durationSeconds: loginWindow },
    register: {
      points: config.RATE_LIMIT_REGISTER_MAX,
      durationSeconds: config.RATE_LIMIT_REGISTER_WINDOW_SECONDS,
    },
    general: { points: config.RATE_LIMIT_GENERAL_PER_MINUTE, durationSeconds: 60 },
    taskStart: { points: config.RATE_LIMIT_TASK_START_PER_HOUR, durationSeconds: 3600 },
  };
  const redis = await connectSharedRedis(config.REDIS_URL ?? config.EVENT_BUS_URL, logger);
  const deps: ApiDeps = {
    db,
    auth,
    redis,
    // Counted in Redis when there is one, so a limit holds however many processes share the load.
    limiters: createRateLimiters(rateLimits, redis),
    engine,
    github,
    eventStreams: createOpenEventStreams(
      { maxPerUser: config.MAX_EVENT_STREAMS_PER_USER, recheckIntervalMs: config.EVENT_STREAM_RECHECK_MS },
      redis,
    ),
    settings: {
      appUrl: config.APP_URL,
      trustedOrigins,
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      maxSessionsPerUser: config.MAX_SESSIONS_PER_USER,
      rateLimits,
      version: config.version,
      environment: config.NODE_ENV,
      filesDir,
      maxUploadBytes: config.MAX_UPLOAD_BYTES,
      maxUploadBytesPerUser: config.MAX_UPLOAD_BYTES_PER_USER,
      providerSecret: secret,
      providerEnvironment,
      siteDefaults,
    },
    mailer,
  };
  // Bytes left behind by a crash (or by deletions a crash interrupted) are reclaimed before serving.
  await sweepOrphanedFiles(db, deps.settings);
  await mkdir(config.WORKSPACES_DIR, { recursive: true });
  const swept = await sweepTaskWorkspaces(engine);
  if (swept.removed.length > 0) logger.info(`Workspaces removed at start-up: ${swept.removed.length}`);
  await recoverAfterStart(engine, logger);
  // Webhook deliveries are processed after they are answered; those a crash left unprocessed go first.
  const githubWebhooks = createWebhookWorker(
    { ...github, logger: githubLogger },
    {
      // Staged in the outbox, so a bus that is down (Redis restarting) loses none: the relay sends them when
      // it is back. Not in the handler's own transaction, which calls GitHub midway (check suites); the
      // delivery stays `received` until its events are staged, so a crash before then processes it again.
      githubUpdated: async (update) => {
        await stageEvent(engine, {
          type: "github_update",
          scope: { projectId: update.projectId },
          payload: update,
        });
      },
      messagePosted: async (message) => {
        const scope = conversationScope({
          id: message.conversationId,
          projectId: message.projectId,
          createdById: message.createdById,
          taskId: message.taskId,
        });
        await transactionWithEvents(engine, (tx, events) =>
          publishMessage({ db: tx, bus: events }, scope, message.messageId),
        );
      },
      // Changes requested on GitHub start a revision run; a merged or closed pull request frees the workspace.
      ...reviewLoopEffects(deps),
    },
    {
      delayMs: config.GITHUB_WEBHOOK_PROCESS_DELAY_MS,
      onError: (message, error) => logger.error(message, error),
    },
  );
  githubWebhooks.wake();
  const app = createApp(deps, {
    appUrl: config.APP_URL,
    trustProxy: config.TRUST_PROXY,
    maxJsonBodyBytes: config.MAX_JSON_BODY_BYTES,
    webDistDir: config.WEB_DIST_DIR,
    logger,
    githubWebhooks,
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
    s.once("error", reject);
  });
  // The seeds' real-time clients connect on the same port: Socket.IO at /socket.io and /api/socket.io,
  // a plain WebSocket at /ws.
  const realtime = [
    // With a shared event bus, Socket.IO shares its packets and sessions on the same Redis.
    attachSocketIo(server as unknown as HttpServer, deps, { redisUrl: config.EVENT_BUS_URL }),
    attachPlainWebSocket(server as unknown as HttpServer, deps),
  ];
  const githubSync = startGitHubSyncJob(github, config.GITHUB_SYNC_INTERVAL_MINUTES, logger);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST}:${port}`;
  logger.info(
    `Crewdeck ${config.version} listening on ${url} (database: ${isEmbeddedUrl(config.DATABASE_URL) ? config.DATABASE_URL : "remote libSQL"})`,
  );

  const close = async () => {
    let busClosed: Promise<void> = Promise.resolve();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const endpoint of realtime) void endpoint.close();
      // Open event streams would hold a graceful close open; ending the bus ends them (after the outbox
      // has relayed what was committed).
      busClosed = outbox.close().then(() => engine.bus.close());
      // Keep-alive sockets would hold a graceful close open forever.
      if ("closeIdleConnections" in server) server.closeIdleConnections();
    });
    await githubWebhooks.close();
    await githubSync.stop();
    // Steps under way stop where they are (their runs stay `running`, so the next start resumes them).
    engine.calls.abortHere({ all: true }, "shutdown");
    await engine.steps.close();
    await engine.control?.close();
    // Aborted replies still write their partial usage; the database must outlive them.
    await engine.replies.idle();
    // The bus writes the streamed chunks it still holds (a message's chunks are stored together) first.
    await busClosed.catch(() => {});
    mailer?.close();
    redis?.disconnect();
    db.$client.close();
  };
  return { url, port, deps, githubSync, close };
}
