// The model catalog and the agents of each project's crew.
import { AGENT_ROLES, AGENT_STATUSES } from "@crewdeck/domain";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, id, json, microUsd, timestamps } from "../columns";
import { projects } from "./projects";

// The values live in @crewdeck/domain, shared with the web app; re-exported so `schema.*` keeps them.
export { AGENT_ROLES, AGENT_STATUSES, type AgentRole, type AgentStatus } from "@crewdeck/domain";
export type ModelConfig = { model: string; temperature: number; maxTokens: number };

/** A model a provider serves, with its published prices per million tokens (stored in micro-dollars). */
export const models = sqliteTable("models", {
  /** The provider's model id, e.g. `claude-sonnet-4-6`. */
  id: text("id").primaryKey(),
  provider: text("provider").notNull(),
  name: text("name").notNull(),
  displayName: text("display_name").notNull(),
  inputCostPerMTok: microUsd("input_cost_per_mtok").notNull(),
  outputCostPerMTok: microUsd("output_cost_per_mtok").notNull(),
  cacheReadCostPerMTok: microUsd("cache_read_cost_per_mtok"),
  cacheWriteCostPerMTok: microUsd("cache_write_cost_per_mtok"),
  contextWindow: integer("context_window").notNull(),
  maxOutputTokens: integer("max_output_tokens").notNull(),
  capabilities: json<string[]>("capabilities").notNull().default([]),
  isActive: bool("is_active").notNull().default(true),
  ...timestamps(),
});

export const agents = sqliteTable(
  "agents",
  {
    id: id(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    role: text("role", { enum: AGENT_ROLES }).notNull(),
    modelConfig: json<ModelConfig>("model_config").notNull(),
    systemPrompt: text("system_prompt"),
    rulesFilePath: text("rules_file_path"),
    /** Position in the project's default pipeline. */
    position: integer("position").notNull().default(0),
    isActive: bool("is_active").notNull().default(true),
    status: text("status", { enum: AGENT_STATUSES }).notNull().default("idle"),
    /** Set when the agent's memory was reset: context before this point is not sent to the model. */
    memoryResetAt: integer("memory_reset_at", { mode: "timestamp_ms" }),
    ...timestamps(),
  },
  (t) => [index("agents_project_position_idx").on(t.projectId, t.position)],
);
