import { resolveGitHubConfig } from "@crewdeck/github";
import { sql } from "drizzle-orm";
import type { ApiDeps } from "../context";

export type ServiceState = "up" | "down" | "not-configured";

/** A liveness report that never throws: a broken dependency shows as "down" and the status as "degraded". */
export async function checkHealth({ db, settings, engine, github: githubDeps }: ApiDeps) {
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
  return {
    status: database === "up" ? ("ok" as const) : ("degraded" as const),
    timestamp: new Date().toISOString(),
    // The queue and the event bus run in this process until a deployment moves them out.
    services: {
      database,
      queue: "up" as ServiceState,
      eventBus: "up" as ServiceState,
      modelProviders,
      github,
    },
    version: settings.version,
    environment: settings.environment,
  };
}
