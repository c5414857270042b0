// The usage and spend reports of §2.9: totals, groups by model, agent, project and person, buckets by day,
// week or month in the caller's zone (every bucket present, so charts have no holes), a project's and a
// task's usage, the last hour, and agent metrics. Everything is limited to what the caller may see.
import { type Database, microsToUsd, schema } from "@crewdeck/db";
import type { UsageGroupBy } from "@crewdeck/domain";
import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, sql, sum } from "drizzle-orm";
import { invalid } from "../../errors";
import { loadTask } from "../access/scoped-resources";
import { memberProjectIds } from "../budgets/limit-access";
import { credentialProjectId, inCredentialReach, requireProjectRole } from "../projects/access";
import { statsForProjects } from "../projects/stats";
import {
  addInto,
  type Dimension,
  type FigureRow,
  type Figures,
  noFigures,
  readFigures,
  type UsageFilter,
  type UsageViewer,
  visibleRecords,
} from "./figures";
import {
  addDays,
  daysBetween,
  formatLocalDate,
  type Granularity,
  localDateOf,
  parseLocalDate,
  type ReportRange,
  reportRange,
} from "./time-buckets";

const NO_USAGE_OWNER = schema.NO_USAGE_OWNER;

/** The longest range a report covers: a year and a day, so a leap year fits. */
export const MAX_REPORT_DAYS = 366;
const TOP_TASKS = 10;
const TASK_TIMELINE_LIMIT = 1000;

export type GroupBy = UsageGroupBy;

const DIMENSION_OF: Record<"model" | "agent" | "project" | "user", Dimension> = {
  model: "model",
  agent: "agentId",
  project: "projectId",
  user: "userId",
};

export type RangeInput = {
  timeRange?: number | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
  tz: string;
  granularity?: Granularity | undefined;
};

/** The range asked for: `startDate`–`endDate` (local dates, both included) or the last `timeRange` days. */
export function resolveRange(input: RangeInput, now: Date, granularity: Granularity): ReportRange {
  let first: ReturnType<typeof parseLocalDate>;
  let last: ReturnType<typeof parseLocalDate>;
  if (input.startDate || input.endDate) {
    first = input.startDate ? parseLocalDate(input.startDate) : null;
    last = input.endDate ? parseLocalDate(input.endDate) : null;
    const fields = [
      ...(first ? [] : [{ field: "startDate", message: "A date as YYYY-MM-DD" }]),
      ...(last ? [] : [{ field: "endDate", message: "A date as YYYY-MM-DD" }]),
    ];
    if (!first || !last) throw invalid("startDate and endDate go together, each as YYYY-MM-DD", fields);
    if (daysBetween(first, last) < 0) {
      throw invalid("endDate is before startDate", [{ field: "endDate", message: "On or after startDate" }]);
    }
    if (daysBetween(first, last) >= MAX_REPORT_DAYS) {
      throw invalid(`A report covers at most ${MAX_REPORT_DAYS} days`, [
        { field: "endDate", message: `At most ${MAX_REPORT_DAYS} days after startDate` },
      ]);
    }
  } else {
    last = localDateOf(input.tz, now.getTime());
    first = addDays(last, -((input.timeRange ?? 30) - 1));
  }
  return reportRange(input.tz, first, last, granularity);
}

type UsdFigures = {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  totalCostUsd: number;
};

const toUsd = (f: Figures): UsdFigures => ({
  calls: f.calls,
  inputTokens: f.inputTokens,
  outputTokens: f.outputTokens,
  totalTokens: f.totalTokens,
  totalCostUsd: microsToUsd(f.costMicros),
});

const describeRange = (range: ReportRange) => ({
  startDate: formatLocalDate(range.firstDate),
  endDate: formatLocalDate(range.lastDate),
  start: new Date(range.start).toISOString(),
  end: new Date(range.end).toISOString(),
  tz: range.timeZone,
  granularity: range.granularity,
});

const NONE_NAMES: Record<Dimension, string> = {
  model: "Unknown model",
  agentId: "No agent",
  projectId: "No project",
  userId: "Former member",
};

/** Display names of the ids a breakdown shows ('' is the none bucket). */
async function namesOf(db: Database, dimension: Dimension, keys: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (keys.includes(NO_USAGE_OWNER)) names.set(NO_USAGE_OWNER, NONE_NAMES[dimension]);
  const ids = keys.filter((k) => k !== NO_USAGE_OWNER);
  if (dimension === "model") {
    for (const id of ids) names.set(id, id);
    return names;
  }
  if (ids.length === 0) return names;
  const table =
    dimension === "agentId" ? schema.agents : dimension === "projectId" ? schema.projects : schema.users;
  const rows = await db.select({ id: table.id, name: table.name }).from(table).where(inArray(table.id, ids));
  for (const row of rows) names.set(row.id, row.name);
  // A row whose subject has gone since (it cannot: ids are set null or cascade) still gets a name.
  for (const id of ids) if (!names.has(id)) names.set(id, NONE_NAMES[dimension]);
  return names;
}

export type Group = UsdFigures & { id: string; name: string };

/** Sums rows per key of one dimension, most expensive first. */
async function groupsOf(db: Database, rows: FigureRow[], dimension: Dimension): Promise<Group[]> {
  const byKey = new Map<string, Figures>();
  for (const row of rows) {
    const key = row.keys[dimension] ?? "";
    let figures = byKey.get(key);
    if (!figures) {
      figures = noFigures();
      byKey.set(key, figures);
    }
    addInto(figures, row.figures);
  }
  const names = await namesOf(db, dimension, [...byKey.keys()]);
  return [...byKey.entries()]
    .map(([key, figures]) => ({ id: key, name: names.get(key) ?? key, ...toUsd(figures) }))
    .sort(
      (a, b) => b.totalCostUsd - a.totalCostUsd || b.totalTokens - a.totalTokens || (a.id < b.id ? -1 : 1),
    );
}

/** Every bucket of the range, empty ones included, with a breakdown by `dimension` when given. */
function bucketsOf(range: ReportRange, rows: FigureRow[], dimension?: Dimension) {
  const totals = range.buckets.map(() => noFigures());
  const split = range.buckets.map(() => new Map<string, Figures>());
  for (const row of rows) {
    addInto(totals[row.bucket] as Figures, row.figures);
    if (!dimension) continue;
    const key = row.keys[dimension] ?? "";
    const map = split[row.bucket] as Map<string, Figures>;
    let figures = map.get(key);
    if (!figures) {
      figures = noFigures();
      map.set(key, figures);
    }
    addInto(figures, row.figures);
  }
  return range.buckets.map((bucket, i) => ({
    date: bucket.date,
    start: new Date(bucket.start).toISOString(),
    end: new Date(bucket.end).toISOString(),
    ...toUsd(totals[i] as Figures),
    groups: [...(split[i] as Map<string, Figures>).entries()].map(([key, figures]) => ({
      id: key,
      ...toUsd(figures),
    })),
  }));
}

function summaryOf(rows: FigureRow[]): UsdFigures {
  const total = noFigures();
  for (const row of rows) addInto(total, row.figures);
  return toUsd(total);
}

export type AnalyticsInput = RangeInput & { groupBy: GroupBy };

/** GET /usage/analytics: totals, groups and buckets for everything the viewer may see. */
export async function usageAnalytics(
  db: Database,
  viewer: UsageViewer,
  input: AnalyticsInput,
  now: Date,
  filter: UsageFilter = {},
) {
  const byTime = input.groupBy === "day" || input.groupBy === "week" || input.groupBy === "month";
  const granularity = byTime ? (input.groupBy as Granularity) : (input.granularity ?? "day");
  const range = resolveRange(input, now, granularity);
  const dimension = byTime ? undefined : DIMENSION_OF[input.groupBy as keyof typeof DIMENSION_OF];
  const rows = await readFigures(db, viewer, filter, range, dimension ? [dimension] : []);
  const buckets = bucketsOf(range, rows, dimension);
  const groups = dimension
    ? await groupsOf(db, rows, dimension)
    : buckets.map(({ groups: _, start: __, end: ___, date, ...figures }) => ({
        id: date,
        name: date,
        ...figures,
      }));
  return { range: describeRange(range), groupBy: input.groupBy, summary: summaryOf(rows), groups, buckets };
}

/** GET /budget/by-project: spend in the range per project. */
export async function spendByProject(db: Database, viewer: UsageViewer, input: RangeInput, now: Date) {
  const range = resolveRange(input, now, "day");
  const rows = await readFigures(db, viewer, {}, range, ["projectId"]);
  const groups = await groupsOf(db, rows, "projectId");
  return {
    range: describeRange(range),
    summary: summaryOf(rows),
    items: groups.map(({ id: key, name, ...figures }) => ({
      projectId: key || null,
      projectName: name,
      ...figures,
    })),
  };
}

/** GET /budget/by-agent: spend in the range per agent, with its project. */
export async function spendByAgent(db: Database, viewer: UsageViewer, input: RangeInput, now: Date) {
  const range = resolveRange(input, now, "day");
  const rows = await readFigures(db, viewer, {}, range, ["agentId", "projectId"]);
  const groups = await groupsOf(db, rows, "agentId");
  const projectOf = new Map(rows.map((r) => [r.keys.agentId ?? "", r.keys.projectId ?? ""]));
  const projectNames = await namesOf(db, "projectId", [...new Set(projectOf.values())]);
  return {
    range: describeRange(range),
    summary: summaryOf(rows),
    items: groups.map(({ id: key, name, ...figures }) => {
      const projectId = key ? (projectOf.get(key) ?? "") : "";
      return {
        agentId: key || null,
        agentName: name,
        projectId: projectId || null,
        projectName: projectId ? (projectNames.get(projectId) ?? null) : null,
        ...figures,
      };
    }),
  };
}

/** GET /budget/timeline: spend per day, week or month, every bucket present. */
export async function spendTimeline(
  db: Database,
  viewer: UsageViewer,
  input: RangeInput & { granularity: Granularity },
  now: Date,
) {
  const range = resolveRange(input, now, input.granularity);
  const rows = await readFigures(db, viewer, {}, range, []);
  return {
    range: describeRange(range),
    summary: summaryOf(rows),
    buckets: bucketsOf(range, rows).map(({ groups: _, ...bucket }) => ({
      ...bucket,
      spentUsd: bucket.totalCostUsd,
    })),
  };
}

/** The project's tasks that cost most in the range, read from the usage rows (tasks are not in the rollup). */
async function topTasks(db: Database, projectId: string, range: ReportRange) {
  const u = schema.usageRecords;
  const rows = await db
    .select({
      taskId: u.taskId,
      title: schema.tasks.title,
      status: schema.tasks.status,
      calls: count(),
      totalTokens:
        sql<number>`sum(${u.inputTokens} + ${u.outputTokens} + ${u.cacheReadTokens} + ${u.cacheWriteTokens})`.mapWith(
          Number,
        ),
      costMicros: sum(u.costMicros).mapWith(Number),
    })
    .from(u)
    .innerJoin(schema.tasks, eq(schema.tasks.id, u.taskId))
    .where(
      and(
        eq(u.projectId, projectId),
        gte(u.createdAt, new Date(range.start)),
        lt(u.createdAt, new Date(range.end)),
        isNotNull(u.taskId),
      ),
    )
    .groupBy(u.taskId)
    .orderBy(desc(sum(u.costMicros)), asc(u.taskId))
    .limit(TOP_TASKS);
  return rows.map((row) => ({
    taskId: row.taskId as string,
    title: row.title,
    status: row.status,
    calls: row.calls,
    totalTokens: row.totalTokens ?? 0,
    totalCostUsd: microsToUsd(row.costMicros ?? 0),
  }));
}

/** A project the viewer is a member of, or any project for an administrator (within their credential). */
export async function visibleProject(db: Database, viewer: UsageViewer, projectId: string) {
  if (viewer.isAdmin && inCredentialReach(projectId)) {
    const project = await db.query.projects.findFirst({ where: eq(schema.projects.id, projectId) });
    if (project) return project;
  }
  return (await requireProjectRole(db, projectId, viewer.userId, "viewer")).project;
}

/** GET /usage/projects/{projectId}: a project's figures; 404 to anyone who may not see it. */
export async function projectUsage(
  db: Database,
  viewer: UsageViewer,
  projectId: string,
  input: RangeInput & { groupBy?: GroupBy | undefined },
  now: Date,
) {
  const project = await visibleProject(db, viewer, projectId);
  const range = resolveRange(input, now, input.granularity ?? "day");
  const filter = { projectId };
  const [rows, tasks, stats] = await Promise.all([
    readFigures(db, viewer, filter, range, ["model", "agentId", "userId"]),
    topTasks(db, projectId, range),
    statsForProjects(db, [projectId]),
  ]);
  const [byModel, byAgent, byUser] = await Promise.all([
    groupsOf(db, rows, "model"),
    groupsOf(db, rows, "agentId"),
    groupsOf(db, rows, "userId"),
  ]);
  const allTime = stats.get(projectId)?.usage ?? { totalTokens: 0, totalCostUsd: 0 };
  return {
    project: { id: project.id, name: project.name, ...allTime },
    range: describeRange(range),
    summary: summaryOf(rows),
    byModel,
    byAgent,
    byUser,
    dailyTrends: bucketsOf(range, rows).map(({ groups: _, ...bucket }) => bucket),
    topTasks: tasks,
  };
}

/** GET /usage/tasks/{taskId}: a task's calls, by agent and in order. */
export async function taskUsage(db: Database, viewer: UsageViewer, taskId: string) {
  const { row: task } = await loadTask(db, taskId, viewer.userId, "viewer");
  const u = schema.usageRecords;
  const calls = await db
    .select({ call: u, agentName: schema.agents.name })
    .from(u)
    .leftJoin(schema.agents, eq(schema.agents.id, u.agentId))
    .where(eq(u.taskId, taskId))
    .orderBy(asc(u.createdAt), asc(u.id));
  const total = noFigures();
  const byAgent = new Map<
    string,
    { agentId: string | null; agentName: string; models: Set<string>; figures: Figures }
  >();
  const timeline = [];
  for (const { call, agentName } of calls) {
    const figures: Figures = {
      calls: 1,
      inputTokens: call.inputTokens,
      outputTokens: call.outputTokens,
      totalTokens: call.inputTokens + call.outputTokens + call.cacheReadTokens + call.cacheWriteTokens,
      costMicros: call.costMicros,
    };
    addInto(total, figures);
    const key = call.agentId ?? "";
    let entry = byAgent.get(key);
    if (!entry) {
      entry = {
        agentId: call.agentId,
        agentName: agentName ?? NONE_NAMES.agentId,
        models: new Set(),
        figures: noFigures(),
      };
      byAgent.set(key, entry);
    }
    entry.models.add(call.model);
    addInto(entry.figures, figures);
    if (timeline.length < TASK_TIMELINE_LIMIT) {
      timeline.push({
        callId: call.callId ?? call.id,
        at: call.createdAt.toISOString(),
        runId: call.runId,
        agentId: call.agentId,
        agentName: agentName ?? NONE_NAMES.agentId,
        provider: call.provider,
        model: call.model,
        inputTokens: call.inputTokens,
        outputTokens: call.outputTokens,
        cacheReadTokens: call.cacheReadTokens,
        cacheWriteTokens: call.cacheWriteTokens,
        totalTokens: figures.totalTokens,
        costUsd: microsToUsd(call.costMicros),
        durationMs: call.durationMs,
        outcome: call.outcome,
        status: call.status,
      });
    }
  }
  const agents = [...byAgent.values()];
  return {
    task: { id: task.id, title: task.title, projectId: task.projectId },
    summary: {
      ...toUsd(total),
      agentsExecuted: agents.filter((a) => a.agentId !== null).length,
    },
    byAgent: agents
      .map((a) => ({
        agentId: a.agentId,
        agentName: a.agentName,
        model: [...a.models].join(", "),
        executions: a.figures.calls,
        ...toUsd(a.figures),
      }))
      .sort((a, b) => b.totalCostUsd - a.totalCostUsd),
    timeline,
    timelineTruncated: calls.length > TASK_TIMELINE_LIMIT,
  };
}

const MINUTE_MS = 60_000;

/** GET /usage/realtime: the last hour per minute (every minute present) and the calls running now. */
export async function realtimeUsage(db: Database, viewer: UsageViewer, now: Date) {
  const u = schema.usageRecords;
  const end = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const start = end - 60 * MINUTE_MS;
  const minute = sql<number>`${u.createdAt} - ${u.createdAt} % ${MINUTE_MS}`;
  const visible = visibleRecords(db, viewer, {});
  const [perMinute, running] = await Promise.all([
    db
      .select({
        at: minute.mapWith(Number),
        calls: count(),
        inputTokens: sum(u.inputTokens).mapWith(Number),
        outputTokens: sum(u.outputTokens).mapWith(Number),
        totalTokens:
          sql<number>`sum(${u.inputTokens} + ${u.outputTokens} + ${u.cacheReadTokens} + ${u.cacheWriteTokens})`.mapWith(
            Number,
          ),
        costMicros: sum(u.costMicros).mapWith(Number),
      })
      .from(u)
      .where(and(gte(u.createdAt, new Date(start)), lt(u.createdAt, new Date(end)), visible))
      .groupBy(minute),
    db
      // The columns shown, not the whole row: a hundred rows mapped field by field is most of this read.
      .select({
        id: u.id,
        callId: u.callId,
        createdAt: u.createdAt,
        provider: u.provider,
        model: u.model,
        projectId: u.projectId,
        taskId: u.taskId,
        runId: u.runId,
        conversationId: u.conversationId,
        agentId: u.agentId,
        costMicros: u.costMicros,
        agentName: schema.agents.name,
        projectName: schema.projects.name,
      })
      .from(u)
      .leftJoin(schema.agents, eq(schema.agents.id, u.agentId))
      .leftJoin(schema.projects, eq(schema.projects.id, u.projectId))
      .where(and(eq(u.status, "pending"), visible))
      .orderBy(asc(u.createdAt))
      .limit(100),
  ]);
  const byMinute = new Map(perMinute.map((row) => [row.at, row]));
  const minutes = [];
  const total = noFigures();
  for (let at = start; at < end; at += MINUTE_MS) {
    const row = byMinute.get(at);
    const figures: Figures = row
      ? {
          calls: row.calls,
          inputTokens: row.inputTokens ?? 0,
          outputTokens: row.outputTokens ?? 0,
          totalTokens: row.totalTokens ?? 0,
          costMicros: row.costMicros ?? 0,
        }
      : noFigures();
    addInto(total, figures);
    minutes.push({ start: new Date(at).toISOString(), ...toUsd(figures) });
  }
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    summary: toUsd(total),
    minutes,
    running: running.map(({ agentName, projectName, ...call }) => ({
      callId: call.callId ?? call.id,
      startedAt: call.createdAt.toISOString(),
      provider: call.provider,
      model: call.model,
      projectId: call.projectId,
      projectName,
      taskId: call.taskId,
      runId: call.runId,
      conversationId: call.conversationId,
      agentId: call.agentId,
      agentName,
      estimatedCostUsd: microsToUsd(call.costMicros),
    })),
  };
}

/** GET /analytics/agents: per agent the viewer may see, its messages, spend and run outcomes in the range. */
export async function agentAnalytics(db: Database, viewer: UsageViewer, input: RangeInput, now: Date) {
  const range = resolveRange(input, now, "day");
  const a = schema.agents;
  const only = credentialProjectId();
  const agentScope = only
    ? viewer.isAdmin
      ? eq(a.projectId, only)
      : inArray(a.projectId, memberProjectIds(db, viewer.userId))
    : viewer.isAdmin
      ? undefined
      : inArray(a.projectId, memberProjectIds(db, viewer.userId));
  const agents = await db
    .select({
      id: a.id,
      name: a.name,
      role: a.role,
      projectId: a.projectId,
      projectName: schema.projects.name,
    })
    .from(a)
    .innerJoin(schema.projects, eq(schema.projects.id, a.projectId))
    .where(agentScope)
    .orderBy(asc(schema.projects.name), asc(a.position), asc(a.id));
  if (agents.length === 0) return { range: describeRange(range), agents: [] };
  const ids = agents.map((agent) => agent.id);
  const from = new Date(range.start);
  const to = new Date(range.end);
  const m = schema.messages;
  const r = schema.runs;
  const s = schema.runSteps;
  const [spend, messages, outcomes] = await Promise.all([
    readFigures(db, viewer, {}, range, ["agentId"]),
    db
      .select({ agentId: m.agentId, n: count() })
      .from(m)
      .where(and(inArray(m.agentId, ids), gte(m.createdAt, from), lt(m.createdAt, to)))
      .groupBy(m.agentId),
    // Each run the agent took a step in, counted once, by how the run ended within the range.
    db
      .selectDistinct({ agentId: s.agentId, runId: r.id, taskId: r.taskId, status: r.status })
      .from(s)
      .innerJoin(r, eq(r.id, s.runId))
      .where(
        and(
          inArray(s.agentId, ids),
          inArray(r.status, ["completed", "failed", "interrupted"]),
          gte(r.completedAt, from),
          lt(r.completedAt, to),
        ),
      ),
  ]);
  const cost = new Map<string, number>();
  for (const row of spend) {
    const key = row.keys.agentId ?? "";
    cost.set(key, (cost.get(key) ?? 0) + row.figures.costMicros);
  }
  const messageCounts = new Map(messages.map((row) => [row.agentId, row.n]));
  const runs = new Map<string, { ended: number; completed: number; tasks: Set<string> }>();
  for (const row of outcomes) {
    if (!row.agentId) continue;
    const entry = runs.get(row.agentId) ?? { ended: 0, completed: 0, tasks: new Set<string>() };
    entry.ended += 1;
    if (row.status === "completed") {
      entry.completed += 1;
      entry.tasks.add(row.taskId);
    }
    runs.set(row.agentId, entry);
  }
  return {
    range: describeRange(range),
    agents: agents.map((agent) => {
      const totalMessages = messageCounts.get(agent.id) ?? 0;
      const costMicros = cost.get(agent.id) ?? 0;
      const outcome = runs.get(agent.id);
      return {
        ...agent,
        metrics: {
          totalMessages,
          totalCostUsd: microsToUsd(costMicros),
          avgCostPerMessageUsd: totalMessages === 0 ? 0 : microsToUsd(Math.round(costMicros / totalMessages)),
          tasksCompleted: outcome?.tasks.size ?? 0,
          runsEnded: outcome?.ended ?? 0,
          successRate: outcome && outcome.ended > 0 ? outcome.completed / outcome.ended : null,
        },
      };
    }),
  };
}
