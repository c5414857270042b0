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
  // The bus asks its own log: the events table in one process, the Redis stream when scaled out.
  const [eventBus, redis] = await Promise.all([
    engine.bus.health().catch(() => "down" as const),
    redisState(shared),
  ]);
  return {
    status:
      database === "up" && eventBus === "up" && redis !== "down" ? ("ok" as const) : ("degraded" as const),
    timestamp: new Date().toISOString(),
    // The queue runs in this process until a deployment moves it out.
    services: {
      database,
      queue: "up" as ServiceState,
      eventBus: eventBus as ServiceState,
      redis,
      modelProviders,
      github,
    },
    version: settings.version,
    environment: settings.environment,
  };
}
