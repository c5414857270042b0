// Spending limits, the reservations that enforce them before a model call starts, and the alerts they raise.
import {
  BUDGET_ACTIONS,
  BUDGET_ALERT_LEVELS,
  BUDGET_PERIODS,
  BUDGET_RESERVATION_STATUSES,
  BUDGET_SCOPE_TYPES,
} from "@crewdeck/domain";
import { sql } from "drizzle-orm";
import { check, index, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bool, id, microUsd, timestamp, timestamps } from "../columns";
import { agents } from "./agents";
import { users } from "./auth";
import { projects } from "./projects";
import { runSteps } from "./runs";

// The values live in @crewdeck/domain, shared with the web app; re-exported so `schema.*` keeps them.
export {
  BUDGET_ACTIONS,
  BUDGET_ALERT_LEVELS,
  BUDGET_PERIODS,
  BUDGET_RESERVATION_STATUSES,
  BUDGET_SCOPE_TYPES,
  type BudgetAction,
  type BudgetAlertLevel,
  type BudgetPeriod,
  type BudgetReservationStatus,
  type BudgetScopeType,
} from "@crewdeck/domain";

export const budgetLimits = sqliteTable(
  "budget_limits",
  {
    id: id(),
    name: text("name").notNull(),
    scopeType: text("scope_type", { enum: BUDGET_SCOPE_TYPES }).notNull(),
    /**
     * The user, project or agent id, by `scope_type`; null for global. Polymorphic, so not a foreign key:
     * deleting a project or agent must delete its limits explicitly.
     */
    scopeId: text("scope_id"),
    amountMicros: microUsd("amount_micros").notNull(),
    period: text("period", { enum: BUDGET_PERIODS }).notNull(),
    /** Fraction of the amount (0–1) at which the warning alert goes out. */
    alertThreshold: real("alert_threshold").notNull().default(0.8),
    actionOnExceed: text("action_on_exceed", { enum: BUDGET_ACTIONS }).notNull().default("warn"),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    isActive: bool("is_active").notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    index("budget_limits_scope_idx").on(t.scopeType, t.scopeId),
    check("budget_limits_alert_threshold_ck", sql`${t.alertThreshold} between 0 and 1`),
    check("budget_limits_amount_ck", sql`${t.amountMicros} >= 0`),
    check("budget_limits_scope_id_ck", sql`(${t.scopeType} = 'global') = (${t.scopeId} is null)`),
  ],
);

/**
 * The worst-case cost of a model call in flight, held against every limit whose scope covers it. Spend
 * checked before a call is settled usage plus held reservations; the usage record replaces the hold.
 */
export const budgetReservations = sqliteTable(
  "budget_reservations",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    agentId: text("agent_id").references(() => agents.id, { onDelete: "set null" }),
    /** Lets a step resumed after a crash find and release the hold its earlier attempt left behind. */
    runStepId: text("run_step_id").references(() => runSteps.id, { onDelete: "set null" }),
    amountMicros: microUsd("amount_micros").notNull(),
    status: text("status", { enum: BUDGET_RESERVATION_STATUSES }).notNull().default("held"),
    createdAt: timestamps().createdAt,
    settledAt: timestamp("settled_at"),
  },
  (t) => [
    index("budget_reservations_status_created_idx").on(t.status, t.createdAt),
    index("budget_reservations_user_idx").on(t.userId),
    index("budget_reservations_project_idx").on(t.projectId),
    index("budget_reservations_agent_idx").on(t.agentId),
    index("budget_reservations_run_step_idx").on(t.runStepId),
  ],
);

/** Alerts already sent; the unique key makes sending one per limit, period and level race-free. */
export const budgetAlerts = sqliteTable(
  "budget_alerts",
  {
    id: id(),
    limitId: text("limit_id")
      .notNull()
      .references(() => budgetLimits.id, { onDelete: "cascade" }),
    periodStart: timestamp("period_start").notNull(),
    level: text("level", { enum: BUDGET_ALERT_LEVELS }).notNull(),
    /** Spend and limit when the alert fired, as reported in it. */
    spentMicros: microUsd("spent_micros").notNull(),
    limitMicros: microUsd("limit_micros").notNull(),
    createdAt: timestamps().createdAt,
  },
  (t) => [
    uniqueIndex("budget_alerts_limit_period_level_uq").on(t.limitId, t.periodStart, t.level),
    index("budget_alerts_created_idx").on(t.createdAt),
  ],
);
