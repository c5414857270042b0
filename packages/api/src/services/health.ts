import { resolveGitHubConfig } from "@crewdeck/github";
import { sql } from "drizzle-orm";
import type { ApiDeps } from "../context";

export type ServiceState = "up" | "down" | "not-configured";

/** A liveness report that never throws: a broken dependency shows as "down" and the status as "degraded". */
/** A Redis that does not answer a PING within a second is down (its commands would not be answered either). */
async function redisState(redis: ApiDeps["redis"]): Promise<ServiceState> {
  if (!redis) return "not-configured";
  const ping = redis.ping().then(
    () => "up" as const,
    () => "down" as const,
  );
  const timeout = new Promise<"down">((resolve) => setTimeout(() => resolve("down"), 1_000).unref());
  return Promise.race([ping, timeout]);
}

export async function checkHealth({ db, settings, engine, github: githubDeps, redis: shared }: ApiDeps) {
  const database: ServiceState = await db
    .run(sql`select 1`)
    .then(() => "up" as const)
    .catch(() => "down" as const);
  // Read at each check: an administrator's provider settings change without a restart.
  const configured = await engine.providers.configured().catch(() => null);
  const modelProviders: Record<string, ServiceState> = configured
    ? Object.fromEntries(
        Object.entries(configured).map(([name, ok]) => [
          name,
          ok ? ("up" as const) : ("not-configured" as const),
        ]),
      )
    : {};
  // Configured means people can connect accounts (an OAuth app); GitHub itself is not called here.
  const github: ServiceState = await resolveGitHubConfig(db, githubDeps.env, githubDeps.secret)
    .then((config) => (config.oauth ? ("up" as const) : ("not-configured" as const)))
    .catch(() => "down" as const);
  // The bus asks its own log: the events table in one process, the Redis stream when scaled out. A queue
  // with no worker taking jobs shows as down but leaves this server "ok": it serves, and a load balancer
  // must not take every server out because the workers are gone.
  const [eventBus, redis, queue] = await Promise.all([
    engine.bus.health().catch(() => "down" as const),
    redisState(shared),
    queueHealth(engine),
  ]);
  return {
    status:
      database === "up" && eventBus === "up" && redis !== "down" ? ("ok" as const) : ("degraded" as const),
    timestamp: new Date().toISOString(),
    services: {
      database,
      queue: queue.state,
      eventBus: eventBus as ServiceState,
      redis,
      modelProviders,
      github,
    },
    queue: queue.detail,
    version: settings.version,
    environment: settings.environment,
  };
}

/**
 * In process, the queue is this process and is up while it answers. On Redis (QUEUE_URL) it is up when Redis
 * answers and some process takes jobs: waiting jobs with no worker connected go nowhere.
 */
async function queueHealth(engine: ApiDeps["engine"]) {
  if (!engine.queue) {
    return { state: "up" as ServiceState, detail: { mode: "in-process" as const } };
  }
  const q = await engine.queue.state();
  const state: ServiceState = q.status === "ok" && (q.workers ?? 0) > 0 ? "up" : "down";
  return {
    state,
    detail: {
      mode: "bullmq" as const,
      redis: q.status === "ok" ? ("up" as const) : ("down" as const),
      workers: q.workers,
      waiting: q.waiting,
      active: q.active,
      concurrency: q.concurrency,
    },
  };
}
