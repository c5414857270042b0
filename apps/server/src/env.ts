// The one place that reads the environment. Every setting has a default that runs on a fresh machine.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { SIGNUP_MODES } from "@crewdeck/domain";
import proxyaddr from "proxy-addr";
import { z } from "zod";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"])
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1" || v === "yes");
const list = z
  .string()
  .default("")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

/**
 * Which proxies in front of the server to believe about the client's address (`X-Forwarded-For`):
 * `false`, none (the socket's peer is the client); a number, that many hops counted from the server
 * (`true` means 1); or a list of the proxies' addresses and CIDR ranges (proxy-addr's `loopback`,
 * `linklocal` and `uniquelocal` too). The client is the address next to the last trusted hop, never the
 * leftmost entry, which the client writes itself.
 */
export type TrustProxy = false | number | string[];

const trustProxy = z
  .string()
  .default("false")
  .transform((value, ctx): TrustProxy => {
    const v = value.trim().toLowerCase();
    if (v === "false" || v === "no" || v === "0") return false;
    if (v === "true" || v === "yes") return 1;
    if (/^\d+$/.test(v)) return Number(v);
    const proxies = v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      proxyaddr.compile(proxies);
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: `Expected false, a hop count, or proxy addresses and CIDR ranges: ${(error as Error).message}`,
      });
      return z.NEVER;
    }
    return proxies;
  });

const redisUrl = z
  .string()
  .regex(/^rediss?:\/\//, "Expected a redis:// or rediss:// URL")
  .refine((v) => URL.canParse(v), "Expected a redis:// or rediss:// URL");

const DURATION_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * How many live events are kept for clients to resume from: comma-separated, an age (`24h`, `90m`, `7d`)
 * and/or a count of events (`1000000`); whichever is reached first trims. The in-process bus keeps by age
 * only.
 */
const eventRetention = z
  .string()
  .default("24h,1000000")
  .transform((value, ctx) => {
    const retention: { maxAgeMs?: number; maxLen?: number } = {};
    for (const part of value
      .split(",")
      .map((p) => p.trim().toLowerCase())
      .filter(Boolean)) {
      const age = /^(\d+)([smhd])$/.exec(part);
      if (age?.[1] && age[2] && Number(age[1]) > 0)
        retention.maxAgeMs = Number(age[1]) * (DURATION_UNITS[age[2]] ?? 0);
      else if (/^\d+$/.test(part) && Number(part) > 0) retention.maxLen = Number(part);
      else {
        ctx.addIssue({
          code: "custom",
          message: `Expected an age such as 24h and/or a count of events such as 1000000, not ${JSON.stringify(part)}`,
        });
        return z.NEVER;
      }
    }
    if (retention.maxAgeMs === undefined && retention.maxLen === undefined) {
      ctx.addIssue({ code: "custom", message: "Expected an age such as 24h and/or a count of events" });
      return z.NEVER;
    }
    return retention;
  });

/** A remote libSQL server, or an embedded file (`file:`); a bare path is taken as a file. */
const databaseUrl = z
  .string()
  .min(1)
  .regex(
    /^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/|:memory:$)/,
    "Expected file:…, libsql://…, http(s)://… or ws(s)://…",
  );

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, "data")),
  /** `file:/path` (embedded, the default under DATA_DIR), or a libSQL server: `libsql://…`, `http(s)://…`. */
  DATABASE_URL: databaseUrl.optional(),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
  APP_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET needs at least 32 characters").optional(),
  TRUSTED_ORIGINS: list,
  TRUST_PROXY: trustProxy,
  ACCESS_TOKEN_TTL_SECONDS: int(15 * 60),
  REFRESH_TOKEN_TTL_DAYS: int(7),
  MAX_SESSIONS_PER_USER: int(10),
  RATE_LIMIT_LOGIN_MAX: int(10),
  RATE_LIMIT_LOGIN_WINDOW_SECONDS: int(15 * 60),
  /** Sign-in attempts per client address across all accounts (password spraying), per login window. */
  RATE_LIMIT_LOGIN_IP_MAX: int(100),
  /** Consecutive failures of one account that cost nothing; each one after waits 1 s, 2 s, 4 s… */
  RATE_LIMIT_LOGIN_BACKOFF_FREE_FAILURES: z.coerce.number().int().min(0).default(5),
  /** …up to this many seconds. */
  RATE_LIMIT_LOGIN_BACKOFF_MAX_SECONDS: int(300),
  /** Second-factor codes per client address and per account, per login window. */
  RATE_LIMIT_2FA_MAX: int(10),
  RATE_LIMIT_REGISTER_MAX: int(5),
  RATE_LIMIT_REGISTER_WINDOW_SECONDS: int(15 * 60),
  RATE_LIMIT_GENERAL_PER_MINUTE: int(600),
  RATE_LIMIT_TASK_START_PER_HOUR: int(30),
  MAX_JSON_BODY_BYTES: int(1024 * 1024),
  MAX_UPLOAD_BYTES: int(25 * 1024 * 1024),
  /** Who may create an account; an admin can change it at runtime (`PATCH /admin/settings`). */
  SIGNUP_MODE: z.enum(SIGNUP_MODES).default("invite"),
  /** Each person's model spend per UTC day in USD (0 = no cap); an admin can change it at runtime. */
  DEFAULT_DAILY_SPEND_CAP_USD: z.coerce.number().min(0).default(10),
  /** What one user may keep stored in uploads at once; deleting files frees it. */
  MAX_UPLOAD_BYTES_PER_USER: int(1024 * 1024 * 1024),
  /** Live event streams (SSE and tRPC subscriptions together) one person may hold open at once. */
  MAX_EVENT_STREAMS_PER_USER: int(20),
  /** How often an open event stream checks that its credential still holds (logout, revoke, ban…). */
  EVENT_STREAM_RECHECK_MS: int(3_000),
  /**
   * One Redis for everything that must be shared once several processes run: the event bus and the queue
   * default to it; the rate limits, stream quotas and the control channel (cancel, emergency stop) use it.
   * Unset: one process.
   */
  REDIS_URL: redisUrl.optional(),
  /** The live events on a Redis stream (`redis://…`); defaults to REDIS_URL; unset: in this process. */
  EVENT_BUS_URL: redisUrl.optional(),
  /** How long / how many live events stay resumable (`24h,1000000`). */
  EVENT_RETENTION: eventRetention,
  /**
   * Outgoing mail (invitations, email verification): a whole `smtp://` / `smtps://` URL, or its parts.
   * With neither, no mail is sent, invitation links are shown to the inviter and addresses go unverified.
   */
  SMTP_URL: z.url().optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535).default(587),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: bool(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** The sender, e.g. `Crewdeck <crewdeck@example.com>`; required once mail is configured. */
  SMTP_FROM: z.string().min(3).optional(),
  WEB_DIST_DIR: z.string().min(1).default(path.join(REPO_ROOT, "apps/web/dist")),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  /** Any OpenAI-compatible chat-completions server: OpenAI, Ollama (`http://localhost:11434/v1`), vLLM, OpenRouter. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  /** GitHub's web and API roots; point both at a GitHub Enterprise Server (`https://ghe.example/api/v3`) or a test fake. */
  GITHUB_WEB_URL: z.url().default("https://github.com"),
  GITHUB_API_URL: z.url().default("https://api.github.com"),
  /** An OAuth app, through which people connect their GitHub accounts. */
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  /** Optional GitHub App: pull requests authored by the app, and projects that use an installation. */
  GITHUB_APP_ID: z.string().min(1).optional(),
  /** The app's PEM private key; `\n` escapes are accepted so it fits on one line. */
  GITHUB_APP_PRIVATE_KEY: z
    .string()
    .min(1)
    .transform((v) => v.replace(/\\n/g, "\n"))
    .optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Tests only: how long the webhook worker waits before processing what arrived (to stop a process first). */
  GITHUB_WEBHOOK_PROCESS_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** Minutes between scheduled syncs of the issues and pull requests of projects with linked repositories; 0 turns it off. */
  GITHUB_SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(15),
  /**
   * How long an agent's rules file read through GitHub's contents API is used before GitHub is asked again
   * (conditionally: an unchanged file is a 304, free of rate limit). 0 asks every time.
   */
  RULES_FILE_CACHE_MS: z.coerce.number().int().min(0).default(60_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** One git clone per repository of each active task; defaults to DATA_DIR/workspaces. */
  WORKSPACES_DIR: z.string().min(1).optional(),
  WORKSPACE_MAX_BYTES: int(2 * 1024 ** 3),
  /**
   * The BullMQ queue that runs steps and chat replies (`pnpm worker` takes them); defaults to REDIS_URL.
   * Unset: everything runs in this process.
   */
  QUEUE_URL: redisUrl.optional(),
  /**
   * Steps and chat replies this process runs off the queue at once. A worker's default is 4; a server's is
   * 0 (it only enqueues) so the work goes to the workers. Meaningless without a queue.
   */
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(256).optional(),
  /**
   * How long a step's lease (and a worker's hold on its job) lasts without renewal: after a worker dies, its
   * step and replies go on elsewhere within about this long (renewed every sixth of it).
   */
  STEP_LEASE_MS: z.coerce.number().int().min(600).default(30_000),
  /** `none` runs agents' commands unsandboxed: only when chosen explicitly, never as a fallback. */
  AGENT_SANDBOX: z.enum(["bwrap", "none"]).default("bwrap"),
});

export type Env = z.infer<typeof EnvSchema>;

/** The server's settings, with derived defaults filled in. */
export type ServerConfig = Env & {
  DATA_DIR: string;
  WORKSPACES_DIR: string;
  DATABASE_URL: string;
  APP_URL: string;
  /** The Redis of the event bus, if any (EVENT_BUS_URL, else REDIS_URL). */
  EVENT_BUS_URL: string | undefined;
  version: string;
};

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): ServerConfig {
  // An empty variable means "not set", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  if ((env.SMTP_URL || env.SMTP_HOST) && !env.SMTP_FROM) {
    throw new EnvError("Invalid configuration:\n  SMTP_FROM: required once SMTP_URL or SMTP_HOST is set");
  }
  // A step a worker runs announces itself on the bus; with a bus per process, nobody watching would see it.
  if (env.QUEUE_URL && !(env.EVENT_BUS_URL ?? env.REDIS_URL)) {
    throw new EnvError(
      "Invalid configuration:\n  QUEUE_URL: a queue needs the event bus its processes share: set REDIS_URL (or EVENT_BUS_URL)",
    );
  }
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    ...env,
    DATA_DIR: dataDir,
    WORKSPACES_DIR: path.resolve(env.WORKSPACES_DIR ?? path.join(dataDir, "workspaces")),
    DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(dataDir, "crewdeck.db")}`,
    QUEUE_URL: env.QUEUE_URL ?? env.REDIS_URL,
    APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ""),
    EVENT_BUS_URL: env.EVENT_BUS_URL ?? env.REDIS_URL,
    version: source.npm_package_version ?? "0.1.0",
  };
}

/** Read once, at start-up. */
export const loadEnv = (): ServerConfig => parseEnv(process.env);
