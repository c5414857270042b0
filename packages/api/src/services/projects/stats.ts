// Figures shown beside projects: task progress, open issues, live conversations, token usage and spend.
import { type Database, microsToUsd, preparedOn, schema } from "@crewdeck/db";
import { and, count, eq, inArray, sql, sum } from "drizzle-orm";

export type ProjectStats = {
  stats: {
    openIssues: number;
    activeConversations: number;
    totalTasks: number;
    completedTasks: number;
    progress: number;
    todayCostUsd: number;
  };
  usage: { totalTokens: number; totalCostUsd: number };
};

export const startOfUtcDay = (now = new Date()): Date =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

const EMPTY: ProjectStats = {
  stats: {
    openIssues: 0,
    activeConversations: 0,
    totalTasks: 0,
    completedTasks: 0,
    progress: 0,
    todayCostUsd: 0,
  },
  usage: { totalTokens: 0, totalCostUsd: 0 },
};

/** Completed tasks as a percentage of all, to two decimals. */
const progressOf = (total: number, completed: number) =>
  total === 0 ? 0 : Math.round((completed / total) * 10_000) / 100;

const openIssueCounts = (db: Database, projectIds: string[]) =>
  db
    .select({ projectId: schema.githubIssues.projectId, n: count() })
    .from(schema.githubIssues)
    .where(and(inArray(schema.githubIssues.projectId, projectIds), eq(schema.githubIssues.state, "open")))
    .groupBy(schema.githubIssues.projectId);

const activeConversationCounts = (db: Database, projectIds: string[]) =>
  db
    .select({ projectId: schema.conversations.projectId, n: count() })
    .from(schema.conversations)
    .where(
      and(inArray(schema.conversations.projectId, projectIds), eq(schema.conversations.status, "active")),
    )
    .groupBy(schema.conversations.projectId);

/** Stats for a page of projects: one grouped query per source, not one per project. */
export async function statsForProjects(
  db: Database,
  projectIds: string[],
): Promise<Map<string, ProjectStats>> {
  const result = new Map(projectIds.map((id) => [id, structuredClone(EMPTY)]));
  if (projectIds.length === 0) return result;
  const today = startOfUtcDay();
  const u = schema.usageDaily;
  const [tasks, issues, conversations, usage] = await Promise.all([
    db
      .select({
        projectId: schema.tasks.projectId,
        total: count(),
        completed: sql<number>`sum(case when ${schema.tasks.status} = 'completed' then 1 else 0 end)`,
      })
      .from(schema.tasks)
      .where(inArray(schema.tasks.projectId, projectIds))
      .groupBy(schema.tasks.projectId),
    openIssueCounts(db, projectIds),
    activeConversationCounts(db, projectIds),
    // From the daily buckets, not the usage rows: a project of half a million calls reads a few thousand rows.
    db
      .select({
        projectId: u.projectId,
        tokens: sum(u.totalTokens),
        cost: sum(u.costMicros),
        todayCost: sql<number>`sum(case when ${u.day} >= ${today.getTime()} then ${u.costMicros} else 0 end)`,
      })
      .from(u)
      .where(inArray(u.projectId, projectIds))
      .groupBy(u.projectId),
  ]);
  for (const row of tasks) {
    const s = row.projectId ? result.get(row.projectId) : undefined;
    if (!s) continue;
    s.stats.totalTasks = row.total;
    s.stats.completedTasks = Number(row.completed ?? 0);
    s.stats.progress = progressOf(row.total, s.stats.completedTasks);
  }
  for (const row of issues) {
    const s = result.get(row.projectId);
    if (s) s.stats.openIssues = row.n;
  }
  for (const row of conversations) {
    const s = row.projectId ? result.get(row.projectId) : undefined;
    if (s) s.stats.activeConversations = row.n;
  }
  for (const row of usage) {
    const s = row.projectId ? result.get(row.projectId) : undefined;
    if (!s) continue;
    s.usage.totalTokens = Number(row.tokens ?? 0);
    s.usage.totalCostUsd = microsToUsd(Number(row.cost ?? 0));
    s.stats.todayCostUsd = microsToUsd(Number(row.todayCost ?? 0));
  }
  return result;
}

type UsageFigures = { totalTokens: number; totalCostUsd: number; calls: number };

/** Adds one bucket group's figures to the entry for `key`, creating it on first sight. */
function addFigures<K>(
  into: Map<K, UsageFigures & { cost: number }>,
  key: K,
  tokens: number,
  cost: number,
  calls: number,
) {
  const entry = into.get(key) ?? { totalTokens: 0, totalCostUsd: 0, calls: 0, cost: 0 };
  entry.totalTokens += tokens;
  entry.cost += cost;
  entry.calls += calls;
  into.set(key, entry);
}

/**
 * Usage of one project broken down by model and by agent, and its totals: one pass over its daily buckets
 * grouped by agent and model, in the order of the index that covers them, folded both ways here.
 */
const projectUsageBuckets = preparedOn((db) => {
  const u = schema.usageDaily;
  return db
    .select({
      agentId: u.agentId,
      agentName: schema.agents.name,
      model: u.model,
      totalTokens: sum(u.totalTokens).mapWith(Number),
      cost: sum(u.costMicros).mapWith(Number),
      todayCost:
        sql<number>`sum(case when ${u.day} >= ${sql.placeholder("today")} then ${u.costMicros} else 0 end)`.mapWith(
          Number,
        ),
      calls: sum(u.calls).mapWith(Number),
    })
    .from(u)
    .leftJoin(schema.agents, eq(schema.agents.id, u.agentId))
    .where(eq(u.projectId, sql.placeholder("projectId")))
    .groupBy(u.agentId, u.model)
    .prepare();
});

async function usageBreakdown(db: Database, projectId: string, today: Date) {
  const rows = await projectUsageBuckets(db).all({ projectId, today: today.getTime() });
  const byModel = new Map<string, UsageFigures & { cost: number }>();
  const byAgent = new Map<string, UsageFigures & { cost: number }>();
  const agentNames = new Map<string, string | null>();
  const totals = { totalTokens: 0, costMicros: 0, todayCostMicros: 0 };
  for (const row of rows) {
    totals.totalTokens += row.totalTokens;
    totals.costMicros += row.cost;
    totals.todayCostMicros += row.todayCost;
    addFigures(byModel, row.model, row.totalTokens, row.cost, row.calls);
    addFigures(byAgent, row.agentId, row.totalTokens, row.cost, row.calls);
    agentNames.set(row.agentId, row.agentName ?? null);
  }
  const figures = ({ totalTokens, cost, calls }: UsageFigures & { cost: number }) => ({
    totalTokens,
    totalCostUsd: microsToUsd(cost),
    calls,
  });
  const sorted = <V>(map: Map<string, V>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    totals,
    byModel: sorted(byModel).map(([model, f]) => ({ model, ...figures(f) })),
    byAgent: sorted(byAgent).map(([agentId, f]) => ({
      agentId: agentId === schema.NO_USAGE_OWNER ? null : agentId,
      agentName: agentNames.get(agentId) ?? null,
      ...figures(f),
    })),
  };
}

const projectTaskCounts = preparedOn((db) =>
  db
    .select({ status: schema.tasks.status, n: count() })
    .from(schema.tasks)
    .where(eq(schema.tasks.projectId, sql.placeholder("projectId")))
    .groupBy(schema.tasks.status)
    .prepare(),
);

async function taskCountsByStatus(db: Database, projectId: string): Promise<Record<string, number>> {
  const rows = await projectTaskCounts(db).all({ projectId });
  const counts: Record<string, number> = Object.fromEntries(schema.TASK_STATUSES.map((s) => [s, 0]));
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** A project's open issues and active conversations, in one statement built once per executor. */
const projectActivity = preparedOn((db) => {
  const projectId = sql.placeholder("projectId");
  const i = schema.githubIssues;
  const c = schema.conversations;
  return db
    .select({
      openIssues: sql<number>`(${db
        .select({ n: count() })
        .from(i)
        .where(and(eq(i.projectId, projectId), eq(i.state, "open")))})`.mapWith(Number),
      activeConversations: sql<number>`(${db
        .select({ n: count() })
        .from(c)
        .where(and(eq(c.projectId, projectId), eq(c.status, "active")))})`.mapWith(Number),
    })
    .from(sql`(select 1)`)
    .prepare();
});

/**
 * One project's figures for its detail page: the same stats and usage totals as `statsForProjects`, with
 * the usage broken down and the tasks counted by status. The totals are folded from the breakdown and the
 * task counts, so each source is read once.
 */
export async function projectFigures(db: Database, projectId: string) {
  const [activity, taskCounts, { totals, ...breakdown }] = await Promise.all([
    projectActivity(db).get({ projectId }),
    taskCountsByStatus(db, projectId),
    usageBreakdown(db, projectId, startOfUtcDay()),
  ]);
  const totalTasks = Object.values(taskCounts).reduce((a, b) => a + b, 0);
  const completedTasks = taskCounts.completed ?? 0;
  return {
    stats: {
      openIssues: activity?.openIssues ?? 0,
      activeConversations: activity?.activeConversations ?? 0,
      totalTasks,
      completedTasks,
      progress: progressOf(totalTasks, completedTasks),
      todayCostUsd: microsToUsd(totals.todayCostMicros),
    },
    usage: {
      totalTokens: totals.totalTokens,
      totalCostUsd: microsToUsd(totals.costMicros),
      ...breakdown,
    },
    taskCounts,
  };
}
