// One row per model call: what it cost and on whose behalf. Analytics, budgets and CSV export read from here.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, microUsd, timestamps } from "../columns";
import { agents } from "./agents";
import { users } from "./auth";
import { conversations } from "./conversations";
import { projects } from "./projects";
import { runSteps, runs } from "./runs";
import { tasks } from "./tasks";

export const USAGE_OUTCOMES = ["success", "error", "cancelled"] as const;

export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];

export const usageRecords = sqliteTable(
  "usage_records",
  {
    id: id(),
    /** Set null, not cascade: a departed member's spend still counts against the project's budget period. */
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    taskId: text("task_id").references(() => tasks.id, { onDelete: "set null" }),
    runId: text("run_id").references(() => runs.id, { onDelete: "set null" }),
    runStepId: text("run_step_id").references(() => runSteps.id, { onDelete: "set null" }),
    conversationId: text("conversation_id").references(() => conversations.id, { onDelete: "set null" }),
    agentId: text("agent_id").references(() => agents.id, { onDelete: "set null" }),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    /** Unique so that a step retried after a crash cannot record (and charge) the same call twice. */
    providerMessageId: text("provider_message_id").unique(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cacheReadTokens: integer("cache_read_tokens").notNull().default(0),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    costMicros: microUsd("cost_micros").notNull().default(0),
    durationMs: integer("duration_ms"),
    outcome: text("outcome", { enum: USAGE_OUTCOMES }).notNull(),
    createdAt: timestamps().createdAt,
  },
  (t) => [
    index("usage_records_created_idx").on(t.createdAt),
    index("usage_records_project_created_idx").on(t.projectId, t.createdAt),
    index("usage_records_task_created_idx").on(t.taskId, t.createdAt),
    index("usage_records_agent_created_idx").on(t.agentId, t.createdAt),
    index("usage_records_user_created_idx").on(t.userId, t.createdAt),
    // The rest back the set-null foreign keys, so deleting a run or conversation does not scan every record.
    index("usage_records_run_idx").on(t.runId),
    index("usage_records_run_step_idx").on(t.runStepId),
    index("usage_records_conversation_idx").on(t.conversationId),
  ],
);
