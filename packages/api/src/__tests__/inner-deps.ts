// The API's collaborators on a temporary libSQL file, assembled as apps/server does, for logic tests
// through `createCaller`: no HTTP server, no port, no fetch.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { initAuth } from "@crewdeck/auth";
import { createDatabase, migrateDatabase } from "@crewdeck/db";
import { createDatabaseEventBus, createEngine, createProviderRegistry } from "@crewdeck/engine";
import { createOctokitFactory } from "@crewdeck/github";
import type { ApiDeps } from "../context";
import { createRateLimiters, DEFAULT_RATE_LIMITS } from "../lib/rate-limits";
import { createOpenEventStreams } from "../services/events/open-streams";
import { filePath } from "../services/files/storage";
import { createSignUpGate } from "../services/invitations/sign-up-gate";

const APP_URL = "http://localhost:3000";
const silent = { info: () => {}, error: () => {} };

export async function createInnerDeps(): Promise<{ deps: ApiDeps; close: () => Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-caller-"));
  const db = await createDatabase({ url: `file:${path.join(dataDir, "crewdeck.db")}` });
  await migrateDatabase(db);
  const secret = "caller-test-secret-that-is-long-enough-for-better-auth";
  const filesDir = path.join(dataDir, "files");
  const providerEnvironment = {};
  const engine = createEngine({
    db,
    bus: createDatabaseEventBus(db, { onError: () => {} }),
    providers: createProviderRegistry({ db, secret, env: providerEnvironment }),
    now: () => new Date(),
    logger: silent,
    readFile: (storedName) => readFile(filePath({ filesDir }, storedName)),
  });
  const siteDefaults = { signupMode: "open" as const, dailySpendCapUsd: 0 };
  const auth = initAuth({
    db,
    secret,
    baseURL: APP_URL,
    trustedOrigins: [APP_URL],
    accessTokenTtlSeconds: 900,
    refreshTokenTtlSeconds: 86_400,
    rateLimit: { windowSeconds: 60, registerMax: 100 },
    signUpGate: createSignUpGate({ db, siteDefaults }),
  });
  const deps: ApiDeps = {
    db,
    auth,
    engine,
    // Nothing of GitHub is configured here: its services answer "not configured", as on a fresh server.
    github: { db, secret, env: {}, octokit: createOctokitFactory(), now: () => new Date() },
    limiters: createRateLimiters(DEFAULT_RATE_LIMITS),
    eventStreams: createOpenEventStreams({ maxPerUser: 20, recheckIntervalMs: 5_000 }),
    settings: {
      appUrl: APP_URL,
      trustedOrigins: [APP_URL],
      accessTokenTtlSeconds: 900,
      maxSessionsPerUser: 10,
      rateLimits: DEFAULT_RATE_LIMITS,
      version: "test",
      environment: "test",
      filesDir,
      maxUploadBytes: 1024 * 1024,
      maxUploadBytesPerUser: 16 * 1024 * 1024,
      providerSecret: secret,
      providerEnvironment,
      siteDefaults,
    },
    mailer: null,
  };
  return {
    deps,
    close: async () => {
      await engine.bus.close();
      await engine.steps.close();
      db.$client.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
