// Runs of a task through its agent pipeline, their steps and logs, and the durable event log behind the event bus.
import {
  EVENT_TYPES,
  INITIAL_RUN_STATUS,
  INITIAL_STEP_STATUS,
  RUN_LOG_LEVELS,
  RUN_STATUSES,
  RUN_STEP_STATUSES,
} from "@crewdeck/domain";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id, json, microUsd, timestamp, timestamps } from "../columns";
import { AGENT_ROLES, agents } from "./agents";
import { users } from "./auth";
import { conversations } from "./conversations";
import { projects } from "./projects";
import { type TaskResult, tasks } from "./tasks";

// The values live in @crewdeck/domain, shared with the web app; re-exported so `schema.*` keeps them.
export {
  EVENT_TYPES,
  type EventType,
  RUN_LOG_LEVELS,
  RUN_STATUSES,
  RUN_STEP_STATUSES,
  type RunLogLevel,
  type RunStatus,
  type RunStepStatus,
} from "@crewdeck/domain";

export const runs = sqliteTable(
  "runs",
  {
    id: id(),
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    /** Copied from the task so project usage and emergency pauses need no join. */
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    startedById: text("started_by_id").references(() => users.id, { onDelete: "set null" }),
    status: text("status", { enum: RUN_STATUSES }).notNull().default(INITIAL_RUN_STATUS),
    /** Agent ids in the order the steps run, fixed when the run starts. */
    pipeline: json<string[]>("pipeline").notNull(),
    currentStep: integer("current_step").notNull().default(0),
    totalSteps: integer("total_steps").notNull(),
    instructions: text("instructions"),
    attachmentIds: json<string[]>("attachment_ids").notNull().default([]),
    error: text("error"),
    /** Why the run was paused, cancelled or interrupted, for the people watching it. */
    reason: text("reason"),
    result: json<TaskResult>("result"),
    startedAt: timestamp("started_at"),
    completedAt: timestamp("completed_at"),
    ...timestamps(),
  },
  (t) => [
    index("runs_task_created_idx").on(t.taskId, t.createdAt),
    index("runs_project_created_idx").on(t.projectId, t.createdAt),
    index("runs_status_idx").on(t.status),
    // At most one active run per task, even when two starts race (the loser gets AGENT_BUSY).
    uniqueIndex("runs_task_active_uq")
      .on(t.taskId)
      .where(sql`${t.status} in ('queued', 'running', 'paused')`),
  ],
);

export const runSteps = sqliteTable(
  "run_steps",
  {
    id: id(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    stepIndex: integer("step_index").notNull(),
    agentId: text("agent_id").references(() => agents.id, { onDelete: "set null" }),
    /** Kept on the step so the run still reads correctly after its agent is changed or deleted. */
    role: text("role", { enum: AGENT_ROLES }).notNull(),
    status: text("status", { enum: RUN_STEP_STATUSES }).notNull().default(INITIAL_STEP_STATUS),
    output: text("output"),
    startedAt: timestamp("started_at"),
    completedAt: timestamp("completed_at"),
    durationMs: integer("duration_ms"),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    costMicros: microUsd("cost_micros").notNull().default(0),
    /**
     * The step's model transcript after its last finished model call (tool calls and results included),
     * written in the same transaction as that call's usage record: a step resumed after a crash goes on
     * from here instead of paying for the same calls again.
     */
    checkpoint: json<unknown>("checkpoint"),
    /** The agent message the step streams into, so a resumed step keeps writing the same message. */
    messageId: text("message_id"),
    /** How many times the step was started; a step resumed after a restart counts again. */
    attempts: integer("attempts").notNull().default(0),
    /**
     * The lease on a running step: the engine process executing it (an id made at that engine's start) and
     * until when, renewed by its heartbeat. Another process may take the step over only once the lease has
     * expired; every write of the step's progress is fenced by the owner and the attempt it claimed.
     */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at"),
    error: text("error"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("run_steps_run_step_index_uq").on(t.runId, t.stepIndex),
    index("run_steps_agent_idx").on(t.agentId),
  ],
);

export const runLogs = sqliteTable(
  "run_logs",
  {
    id: id(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    level: text("level", { enum: RUN_LOG_LEVELS }).notNull().default("info"),
    message: text("message").notNull(),
    createdAt: timestamps().createdAt,
  },
  (t) => [index("run_logs_run_created_idx").on(t.runId, t.createdAt, t.id)],
);

/**
 * The event bus's log: a subscriber resumes after the last id it saw. AUTOINCREMENT keeps ids rising
 * even after the newest rows are trimmed, so an id is never handed out twice.
 */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    /** The one user the event is for (notifications, budget alerts); null when it is for a project's members. */
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    conversationId: text("conversation_id").references(() => conversations.id, { onDelete: "cascade" }),
    taskId: text("task_id").references(() => tasks.id, { onDelete: "cascade" }),
    payload: json<unknown>("payload").notNull(),
    createdAt: timestamps().createdAt,
  },
  (t) => [
    index("events_user_id_idx").on(t.userId, t.id),
    index("events_project_id_idx").on(t.projectId, t.id),
    index("events_conversation_id_idx").on(t.conversationId, t.id),
    index("events_task_id_idx").on(t.taskId, t.id),
    index("events_created_at_idx").on(t.createdAt),
  ],
);
