// The collaborators every engine service receives, built once by the app (STYLE.md: services get their
// database, model clients, event bus and clock as arguments, so tests hand them real local ones).
import type { Database } from "@crewdeck/db";
import type { CodeDeps } from "./code/code-deps";
import type { EventBus } from "./events/bus";
import type { EventOutbox } from "./events/outbox";
import type { ProviderRegistry } from "./providers/types";

export type EngineLogger = {
  info: (message: string) => void;
  /** Something an operator may want to fix that did not fail the work (`info` when absent). */
  warn?: (message: string) => void;
  error: (message: string, error?: unknown) => void;
};

export type EngineDeps = {
  db: Database;
  bus: EventBus;
  /** Events staged in the transactions of the changes they describe, relayed to `bus` after the commit. */
  outbox?: EventOutbox;
  providers: ProviderRegistry;
  now: () => Date;
  logger: EngineLogger;
  /** Each person's daily spend cap in USD unless an admin set another (0 = none); see budgets/daily-cap.ts. */
  defaultDailySpendCapUsd?: number;
  /** How long a rules file read from GitHub is reused before asking again (60 s unless given). */
  rulesFileCacheMs?: number;
  /** Workspaces, git and GitHub for the roles that touch code; without it no step gets a workspace. */
  code?: CodeDeps;
};
