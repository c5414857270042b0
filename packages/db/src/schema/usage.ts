// One row per model call: what it cost and on whose behalf. Analytics, budgets and CSV export read from here.
// The row is written before the call is sent (pending, at the reservation's worst case) and settled with the
// real figures when it ends, so a call cut off by a crash is still charged (estimated) at start-up.
import {
  type AnySQLiteColumn,
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { id, microUsd, timestamp, timestamps } from "../columns";
import type { DerivedFigures } from "../derived";
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
    // Time first, then every column a report reads: the part hours a zone at a half or quarter hour reads
    // from the rows (and the last hour per minute) come from the index alone, not a table lookup per row.
    index("usage_records_created_figures_idx").on(
      t.createdAt,
      t.projectId,
      t.userId,
      t.agentId,
      t.model,
      t.inputTokens,
      t.outputTokens,
      t.cacheReadTokens,
      t.cacheWriteTokens,
      t.costMicros,
    ),
    index("usage_records_project_created_idx").on(t.projectId, t.createdAt),
    index("usage_records_task_created_idx").on(t.taskId, t.createdAt),
    index("usage_records_agent_created_idx").on(t.agentId, t.createdAt),
    index("usage_records_user_created_idx").on(t.userId, t.createdAt),
    // The rest back the set-null foreign keys, so deleting a run or conversation does not scan every record.
    index("usage_records_run_idx").on(t.runId),
    index("usage_records_run_step_idx").on(t.runStepId),
    index("usage_records_conversation_idx").on(t.conversationId),
    // Start-up recovery looks for the pending rows a stopped process left; the calls running now are the
    // oldest pending rows, read in order from here rather than all of them sorted (or every row by time).
    index("usage_records_status_created_idx").on(t.status, t.createdAt),
  ],
);

// The rollups below share their bucket's owner (with '' for none) and, for the hourly and shifted ones,
// their figures: one definition of each, so the three tables cannot drift apart column by column.
const bucketOwner = () => ({
  projectId: text("project_id").notNull(),
  userId: text("user_id").notNull(),
  agentId: text("agent_id").notNull(),
  model: text("model").notNull(),
});

const bucketFigures = () => ({
  calls: integer("calls").notNull(),
  inputTokens: integer("input_tokens").notNull(),
  outputTokens: integer("output_tokens").notNull(),
  totalTokens: integer("total_tokens").notNull(),
  costMicros: microUsd("cost_micros").notNull(),
});

type OwnerColumns = { [K in keyof ReturnType<typeof bucketOwner>]: AnySQLiteColumn };
type FigureColumns = { [K in keyof ReturnType<typeof bucketFigures>]: AnySQLiteColumn };

/** The owner's columns in index order: project, person, agent, model. */
const ownerAndModel = (t: OwnerColumns) => [t.projectId, t.userId, t.agentId, t.model] as const;
const figuresOf = (t: FigureColumns) =>
  [t.calls, t.inputTokens, t.outputTokens, t.totalTokens, t.costMicros] as const;

/**
 * Usage summed per UTC day, project, person, agent and model: what project figures, usage breakdowns and
 * budget summaries read, so they cost the number of days and buckets rather than the number of calls.
 * Kept by triggers on `usage_records` (see `usageDailyFigures`), so a pending row counts at its estimate
 * until it is settled, and a person or agent set null on deletion moves their figures to the "none" bucket.
 * The ids are '' for none (not null, which a unique index would treat as distinct) and no foreign keys:
 * the buckets follow the usage rows through the triggers, whatever order a cascade takes.
 */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    /** The UTC midnight starting the day. */
    day: timestamp("day").notNull(),
    ...bucketOwner(),
    calls: integer("calls").notNull(),
    totalTokens: integer("total_tokens").notNull(),
    costMicros: microUsd("cost_micros").notNull(),
  },
  (t) => [
    uniqueIndex("usage_daily_bucket_uq").on(t.day, ...ownerAndModel(t)),
    // Covers a project's figures (totals, today, by agent and model) so they are read from the index alone.
    index("usage_daily_project_figures_idx").on(
      t.projectId,
      t.agentId,
      t.model,
      t.day,
      t.calls,
      t.totalTokens,
      t.costMicros,
    ),
    index("usage_daily_user_day_idx").on(t.userId, t.day),
  ],
);

/**
 * Usage summed per UTC hour, project, person, agent and model: what the usage reports read. A UTC-day bucket
 * cannot answer a day in UTC-5, but every zone whose offset is whole hours starts its days, weeks and months
 * on a UTC hour; zones at half and quarter hours read the hour that straddles their midnight from the usage
 * rows themselves. Kept by triggers in the same statement as the usage row, like `usage_daily` (whose
 * columns other readers rely on, so the hours are a table of their own).
 */
export const usageHourly = sqliteTable(
  "usage_hourly",
  {
    /** The UTC hour's first millisecond. */
    hour: timestamp("hour").notNull(),
    ...bucketOwner(),
    ...bucketFigures(),
  },
  (t) => [
    // Also covers a site-wide report (an administrator's), read in hour order from the index alone.
    uniqueIndex("usage_hourly_bucket_uq").on(t.hour, ...ownerAndModel(t)),
    // A member's report: their projects' hours, read from the index alone.
    index("usage_hourly_project_figures_idx").on(
      t.projectId,
      t.hour,
      t.userId,
      t.agentId,
      t.model,
      ...figuresOf(t),
    ),
  ],
);

/**
 * Usage summed per 24-hour window starting at each of the 24 UTC hours: a day in UTC-5 (standard time) is the
 * window starting at 05:00Z, so a 30-day report in any whole-hour zone reads 30 windows per group instead of
 * 720 hours; days that are not 24 hours long (a daylight-saving change) and the half hours of other zones are
 * read from `usage_hourly` and the usage rows. Kept by triggers in the same statement as the usage row.
 */
export const usageShiftedDaily = sqliteTable(
  "usage_shifted_daily",
  {
    /** The UTC hour (0–23) the windows of this row start at. */
    shift: integer("shift").notNull(),
    /** The window's first millisecond. */
    day: timestamp("day").notNull(),
    ...bucketOwner(),
    ...bucketFigures(),
  },
  (t) => [
    uniqueIndex("usage_shifted_daily_bucket_uq").on(t.shift, t.day, ...ownerAndModel(t)),
    // A site's report (an administrator's) read from the index alone.
    index("usage_shifted_daily_figures_idx").on(t.shift, t.day, ...ownerAndModel(t), ...figuresOf(t)),
    // A member's report: their projects' windows, read from the index alone.
    index("usage_shifted_daily_project_figures_idx").on(
      t.projectId,
      t.shift,
      t.day,
      t.userId,
      t.agentId,
      t.model,
      ...figuresOf(t),
    ),
  ],
);

/** What `usage_daily` stores for a usage row with no project, person or agent. */
export const NO_USAGE_OWNER = "";

const DAY_MS = 86_400_000;
const FIGURE_COLUMNS =
  "project_id, user_id, agent_id, model, created_at, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros";
const tokensOf = (row: "new" | "old") =>
  `${row}.input_tokens + ${row}.output_tokens + ${row}.cache_read_tokens + ${row}.cache_write_tokens`;
const bucketOf = (row: "new" | "old") =>
  `${row}.created_at - ${row}.created_at % ${DAY_MS}, coalesce(${row}.project_id, ''), coalesce(${row}.user_id, ''), coalesce(${row}.agent_id, ''), ${row}.model`;

/**
 * The three triggers that keep a rollup of usage_records: a new row is added, a changed one is taken away
 * and added again, a deleted one is taken away, and the buckets a row left are dropped once empty.
 */
const rollupTriggers = (
  table: string,
  add: (row: "new" | "old", sign: 1 | -1) => string,
  dropEmptied: (row: "old") => string,
): Record<string, string> => ({
  [`${table}_on_insert`]: `CREATE TRIGGER ${table}_on_insert AFTER INSERT ON usage_records BEGIN
      ${add("new", 1)}
    END`,
  [`${table}_on_update`]: `CREATE TRIGGER ${table}_on_update AFTER UPDATE OF ${FIGURE_COLUMNS} ON usage_records BEGIN
      ${add("old", -1)}
      ${add("new", 1)}
      ${dropEmptied("old")}
    END`,
  [`${table}_on_delete`]: `CREATE TRIGGER ${table}_on_delete AFTER DELETE ON usage_records BEGIN
      ${add("old", -1)}
      ${dropEmptied("old")}
    END`,
});

/** Adds (sign 1) or takes away (sign -1) one usage row's figures in its bucket. */
const addTo = (row: "new" | "old", sign: 1 | -1) => `
  INSERT INTO usage_daily (day, project_id, user_id, agent_id, model, calls, total_tokens, cost_micros)
  VALUES (${bucketOf(row)}, ${sign}, ${sign} * (${tokensOf(row)}), ${sign} * ${row}.cost_micros)
  ON CONFLICT (day, project_id, user_id, agent_id, model) DO UPDATE SET calls = calls + excluded.calls,
    total_tokens = total_tokens + excluded.total_tokens, cost_micros = cost_micros + excluded.cost_micros;`;

/** An emptied bucket goes, so a deleted project or a moved figure leaves nothing behind. */
const dropEmpty = (row: "old") => `
  DELETE FROM usage_daily WHERE calls = 0 AND (day, project_id, user_id, agent_id, model) = (${bucketOf(row)});`;

const HOUR_MS = 3_600_000;
const hourBucketOf = (row: "new" | "old") =>
  `${row}.created_at - ${row}.created_at % ${HOUR_MS}, coalesce(${row}.project_id, ''), coalesce(${row}.user_id, ''), coalesce(${row}.agent_id, ''), ${row}.model`;

/** Adds (sign 1) or takes away (sign -1) one usage row's figures in its hour. */
const addToHour = (row: "new" | "old", sign: 1 | -1) => `
  INSERT INTO usage_hourly (hour, project_id, user_id, agent_id, model, calls, input_tokens, output_tokens,
    total_tokens, cost_micros)
  VALUES (${hourBucketOf(row)}, ${sign}, ${sign} * ${row}.input_tokens, ${sign} * ${row}.output_tokens,
    ${sign} * (${tokensOf(row)}), ${sign} * ${row}.cost_micros)
  ON CONFLICT (hour, project_id, user_id, agent_id, model) DO UPDATE SET calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
    total_tokens = total_tokens + excluded.total_tokens, cost_micros = cost_micros + excluded.cost_micros;`;

const dropEmptyHour = (row: "old") => `
  DELETE FROM usage_hourly WHERE calls = 0 AND (hour, project_id, user_id, agent_id, model) = (${hourBucketOf(row)});`;

export const usageHourlyFigures: DerivedFigures = {
  name: "usage per hour",
  triggers: rollupTriggers("usage_hourly", addToHour, dropEmptyHour),
  backfill: [
    "DELETE FROM usage_hourly",
    `INSERT INTO usage_hourly (hour, project_id, user_id, agent_id, model, calls, input_tokens, output_tokens,
        total_tokens, cost_micros)
      SELECT created_at - created_at % ${HOUR_MS}, coalesce(project_id, ''), coalesce(user_id, ''),
        coalesce(agent_id, ''), model, count(*), sum(input_tokens), sum(output_tokens),
        sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), sum(cost_micros)
      FROM usage_records
      GROUP BY 1, 2, 3, 4, 5`,
  ],
};

/** The 24 shifts as a subquery a trigger may use (triggers take no WITH clause). */
const SHIFTS = Array.from({ length: 24 }, (_, h) => `SELECT ${h} AS h`).join(" UNION ALL ");
const windowOf = (row: "new" | "old") =>
  `${row}.created_at - ((${row}.created_at - shifts.h * ${HOUR_MS}) % ${DAY_MS} + ${DAY_MS}) % ${DAY_MS}`;

/** Adds (sign 1) or takes away (sign -1) one usage row's figures in the 24 windows that hold it. */
const addToShifts = (row: "new" | "old", sign: 1 | -1) => `
  INSERT INTO usage_shifted_daily (shift, day, project_id, user_id, agent_id, model, calls, input_tokens,
    output_tokens, total_tokens, cost_micros)
  SELECT shifts.h, ${windowOf(row)}, coalesce(${row}.project_id, ''), coalesce(${row}.user_id, ''),
    coalesce(${row}.agent_id, ''), ${row}.model, ${sign}, ${sign} * ${row}.input_tokens,
    ${sign} * ${row}.output_tokens, ${sign} * (${tokensOf(row)}), ${sign} * ${row}.cost_micros
  FROM (${SHIFTS}) AS shifts WHERE true
  ON CONFLICT (shift, day, project_id, user_id, agent_id, model) DO UPDATE SET calls = calls + excluded.calls,
    input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
    total_tokens = total_tokens + excluded.total_tokens, cost_micros = cost_micros + excluded.cost_micros;`;

/**
 * Emptied windows go. One statement per shift, each naming its window in full, so every one is a lookup in
 * the bucket index (a single statement over the 24 windows searched a project's every window instead).
 */
const dropEmptyShifts = (row: "old") =>
  Array.from(
    { length: 24 },
    (_, h) => `
  DELETE FROM usage_shifted_daily WHERE shift = ${h}
    AND day = ${row}.created_at - ((${row}.created_at - ${h * HOUR_MS}) % ${DAY_MS} + ${DAY_MS}) % ${DAY_MS}
    AND project_id = coalesce(${row}.project_id, '') AND user_id = coalesce(${row}.user_id, '')
    AND agent_id = coalesce(${row}.agent_id, '') AND model = ${row}.model AND calls = 0;`,
  ).join("");

export const usageShiftedDailyFigures: DerivedFigures = {
  name: "usage per 24 hours from each UTC hour",
  triggers: rollupTriggers("usage_shifted_daily", addToShifts, dropEmptyShifts),
  backfill: [
    "DELETE FROM usage_shifted_daily",
    `INSERT INTO usage_shifted_daily (shift, day, project_id, user_id, agent_id, model, calls, input_tokens,
        output_tokens, total_tokens, cost_micros)
      SELECT shifts.h, ${windowOf("new").replaceAll("new.", "r.")}, coalesce(r.project_id, ''),
        coalesce(r.user_id, ''), coalesce(r.agent_id, ''), r.model, count(*), sum(r.input_tokens),
        sum(r.output_tokens), sum(r.input_tokens + r.output_tokens + r.cache_read_tokens + r.cache_write_tokens),
        sum(r.cost_micros)
      FROM usage_records AS r, (${SHIFTS}) AS shifts
      GROUP BY 1, 2, 3, 4, 5, 6`,
  ],
};

export const usageDailyFigures: DerivedFigures = {
  name: "usage per day",
  triggers: rollupTriggers("usage_daily", addTo, dropEmpty),
  backfill: [
    "DELETE FROM usage_daily",
    `INSERT INTO usage_daily (day, project_id, user_id, agent_id, model, calls, total_tokens, cost_micros)
      SELECT created_at - created_at % ${DAY_MS}, coalesce(project_id, ''), coalesce(user_id, ''),
        coalesce(agent_id, ''), model, count(*),
        sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens), sum(cost_micros)
      FROM usage_records
      GROUP BY 1, 2, 3, 4, 5`,
  ],
};
