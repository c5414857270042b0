// One row per model call: what it cost and on whose behalf. Analytics, budgets and CSV export read from here.
// The row is written before the call is sent (pending, at the reservation's worst case) and settled with the
// real figures when it ends, so a call cut off by a crash is still charged (estimated) at start-up.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, microUsd, timestamps } from "../columns";
import { agents } from "./agents";
import { users } from "./auth";
import { conversations } from "./conversations";
import { projects } from "./projects";
import { runSteps, runs } from "./runs";
import { tasks } from "./tasks";

/** `interrupted`: the call's end was never seen (the process stopped); a pending row carries it until settled. */
export const USAGE_OUTCOMES = ["success", "error", "cancelled", "interrupted"] as const;

export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];

/**
 * `pending`: the call is in flight and its cost is the reservation's worst case (budgets count it through the
 * hold); `settled`: the provider's figures; `estimated`: cut off by a crash, charged at the worst case.
 */
export const USAGE_STATUSES = ["pending", "settled", "estimated"] as const;

export type UsageStatus = (typeof USAGE_STATUSES)[number];

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
    /**
     * Our id for the call (the id of the budget reservation made for it): one row per call, so settling a
     * call twice updates its row instead of adding one. Null only on rows older than call ids.
     */
    callId: text("call_id").unique(),
    /** What the provider called its reply; plain data, since providers repeat ids (Ollama's small counters). */
    providerMessageId: text("provider_message_id"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cacheReadTokens: integer("cache_read_tokens").notNull().default(0),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    costMicros: microUsd("cost_micros").notNull().default(0),
    durationMs: integer("duration_ms"),
    outcome: text("outcome", { enum: USAGE_OUTCOMES }).notNull(),
    status: text("status", { enum: USAGE_STATUSES }).notNull().default("settled"),
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
    // Start-up recovery looks for the pending rows a stopped process left.
    index("usage_records_status_idx").on(t.status),
  ],
);
