// Usage figures for a range and a scope, cut into the range's buckets: read from the hourly rollup, and
// from the usage rows only for the hours a bucket boundary cuts (zones at half and quarter hours).
import { type Executor, schema } from "@crewdeck/db";
import { and, eq, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { memberProjectIds } from "../budgets/limit-access";
import { credentialProjectId } from "../projects/access";
import { HOUR_MS, type ReportRange, readPlan } from "./time-buckets";

export type UsageViewer = { userId: string; isAdmin: boolean };

/** What a figure can be broken down by, besides time. */
export const DIMENSIONS = ["model", "agentId", "projectId", "userId"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export type Figures = {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  costMicros: number;
};

export const noFigures = (): Figures => ({
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  totalTokens: 0,
  costMicros: 0,
});

export function addInto(into: Figures, from: Figures): void {
  into.calls += from.calls;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.totalTokens += from.totalTokens;
  into.costMicros += from.costMicros;
}

/** One bucket's figures for one combination of the dimensions asked for ('' where none). */
export type FigureRow = { bucket: number; keys: Partial<Record<Dimension, string>>; figures: Figures };

/** Narrows what is read to a project, a task's project, or nothing more than visibility. */
export type UsageFilter = { projectId?: string | undefined };

type Columns = { projectId: SQL; userId: SQL };
const NO_USAGE_OWNER = schema.NO_USAGE_OWNER;

/**
 * The usage a viewer may see: an administrator the site's, anyone else their projects' and their own calls
 * outside any project. A credential limited to one project sees that project's alone, whoever holds it.
 */
function visibleTo(db: Executor, viewer: UsageViewer, columns: Columns): SQL | undefined {
  const only = credentialProjectId();
  if (only) {
    return viewer.isAdmin
      ? eq(columns.projectId, only)
      : inArray(columns.projectId, memberProjectIds(db, viewer.userId));
  }
  if (viewer.isAdmin) return undefined;
  return or(
    inArray(columns.projectId, memberProjectIds(db, viewer.userId)),
    and(eq(columns.projectId, NO_USAGE_OWNER), eq(columns.userId, viewer.userId)),
  );
}

/** The conditions on the usage rows themselves (their ids are null, not '', where none). */
export function visibleRecords(db: Executor, viewer: UsageViewer, filter: UsageFilter): SQL | undefined {
  const u = schema.usageRecords;
  const projectId = sql`coalesce(${u.projectId}, '')`;
  return and(
    visibleTo(db, viewer, { projectId, userId: sql`coalesce(${u.userId}, '')` }),
    filter.projectId ? eq(u.projectId, filter.projectId) : undefined,
  );
}

const QUARTER_HOUR_MS = 900_000;
const HALF_HOUR_MS = 1_800_000;

type SqlRow = Record<string, unknown>;

const FIGURE_NAMES = ["calls", "inputTokens", "outputTokens", "totalTokens", "costMicros"] as const;

/**
 * Rows read as plain values and named here by position (the time, the dimensions, then the figures, in the
 * order they are selected): drizzle's mapping field by field cost as much as the query on a month of groups.
 */
function byPosition(values: unknown[][], dimensions: readonly Dimension[]): SqlRow[] {
  return values.map((value) => {
    const row: SqlRow = { at: Number(value[0]) };
    dimensions.forEach((k, i) => {
      row[k] = value[i + 1];
    });
    FIGURE_NAMES.forEach((k, i) => {
      row[k] = Number(value[i + 1 + dimensions.length] ?? 0);
    });
    return row;
  });
}

const sums = <T extends { inputTokens: unknown; outputTokens: unknown; costMicros: unknown }>(
  t: T & { calls?: unknown; totalTokens?: unknown },
) => ({
  calls: sql<number>`sum(${t.calls})`.mapWith(Number),
  inputTokens: sql<number>`sum(${t.inputTokens})`.mapWith(Number),
  outputTokens: sql<number>`sum(${t.outputTokens})`.mapWith(Number),
  totalTokens: sql<number>`sum(${t.totalTokens})`.mapWith(Number),
  costMicros: sql<number>`sum(${t.costMicros})`.mapWith(Number),
});

/** Adjacent stretches joined, so a run of hours is one range in SQL. */
function mergeRanges(starts: number[], length: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const at of [...starts].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last && last[1] === at) last[1] = at + length;
    else ranges.push([at, at + length]);
  }
  return ranges;
}

/**
 * Every bucket's figures over the range, broken down by `dimensions` (none: one row per bucket): 24-hour
 * windows and hours from the rollups, part hours from the usage rows (see `readPlan`).
 */
export async function readFigures(
  db: Executor,
  viewer: UsageViewer,
  filter: UsageFilter,
  range: ReportRange,
  dimensions: readonly Dimension[],
): Promise<FigureRow[]> {
  const plan = readPlan(range);
  const d = schema.usageShiftedDaily;
  const h = schema.usageHourly;
  const u = schema.usageRecords;

  const windowReads = [...plan.windows.entries()].map(async ([shift, windows]) => {
    const days = [...windows.keys()];
    const values = await db
      .select({ at: sql<number>`${d.day}`.mapWith(Number), ...pick(d, dimensions), ...sums(d) })
      .from(d)
      .where(
        and(
          eq(d.shift, shift),
          gte(d.day, new Date(Math.min(...days))),
          lt(d.day, new Date(Math.max(...days) + 1)),
          visibleIn(db, viewer, filter, d),
        ),
      )
      .groupBy(d.day, ...dimensions.map((k) => d[k]))
      .values();
    const rows = byPosition(values, dimensions);
    return rows.map((row) => ({
      row,
      buckets: [[windows.get(row.at as number) ?? -1, 1]] as Array<[number, number]>,
    }));
  });

  const hourRanges = mergeRanges([...plan.hours.keys()], HOUR_MS);
  const hourRead = (async () => {
    if (hourRanges.length === 0) return [];
    const values = await db
      .select({ at: sql<number>`${h.hour}`.mapWith(Number), ...pick(h, dimensions), ...sums(h) })
      .from(h)
      .where(
        and(
          or(...hourRanges.map(([from, to]) => and(gte(h.hour, new Date(from)), lt(h.hour, new Date(to))))),
          visibleIn(db, viewer, filter, h),
        ),
      )
      .groupBy(h.hour, ...dimensions.map((k) => h[k]))
      .values();
    const rows = byPosition(values, dimensions);
    return rows.map((row) => ({
      row,
      buckets: [[plan.hours.get(row.at as number) ?? -1, 1]] as Array<[number, number]>,
    }));
  })();

  const rawRead = (async () => {
    if (plan.raw.length === 0) return [];
    const rawKeys = Object.fromEntries(
      dimensions.map((k) => [k, k === "model" ? u.model : sql<string>`coalesce(${u[k]}, '')`]),
    );
    // Rows summed per half hour where every part hour starts and ends on one (Kolkata's), else per quarter
    // hour (Kathmandu's): the fewer the slices, the fewer rows come back per group.
    const step = plan.raw.every((p) => p.from % HALF_HOUR_MS === 0 && p.to % HALF_HOUR_MS === 0)
      ? HALF_HOUR_MS
      : QUARTER_HOUR_MS;
    const slice = sql<number>`${u.createdAt} - ${u.createdAt} % ${step}`;
    const spans = mergeRanges(
      plan.raw.flatMap((p) => {
        const starts: number[] = [];
        for (let at = p.from; at < p.to; at += step) starts.push(at);
        return starts;
      }),
      step,
    );
    const values = await db
      .select({
        at: slice.mapWith(Number),
        ...rawKeys,
        calls: sql<number>`count(*)`.mapWith(Number),
        inputTokens: sql<number>`sum(${u.inputTokens})`.mapWith(Number),
        outputTokens: sql<number>`sum(${u.outputTokens})`.mapWith(Number),
        totalTokens:
          sql<number>`sum(${u.inputTokens} + ${u.outputTokens} + ${u.cacheReadTokens} + ${u.cacheWriteTokens})`.mapWith(
            Number,
          ),
        costMicros: sql<number>`sum(${u.costMicros})`.mapWith(Number),
      })
      .from(u)
      .where(
        and(
          or(
            ...spans.map(([from, to]) =>
              and(gte(u.createdAt, new Date(from)), lt(u.createdAt, new Date(to))),
            ),
          ),
          visibleRecords(db, viewer, filter),
        ),
      )
      .groupBy(slice, ...dimensions.map((k) => rawKeys[k] as SQL))
      .values();
    const rows = byPosition(values, dimensions);
    return rows.map((row) => {
      const at = row.at as number;
      return {
        row,
        buckets: plan.raw.filter((p) => p.from <= at && at < p.to).map((p) => [p.bucket, p.sign]) as Array<
          [number, number]
        >,
      };
    });
  })();

  const read = [...(await Promise.all(windowReads)).flat(), ...(await hourRead), ...(await rawRead)];
  const rows: FigureRow[] = [];
  for (const { row, buckets } of read) {
    const keys: Partial<Record<Dimension, string>> = {};
    for (const k of dimensions) keys[k] = String(row[k] ?? "");
    for (const [bucket, sign] of buckets) {
      if (bucket < 0) continue;
      rows.push({
        bucket,
        keys,
        figures: {
          calls: sign * (row.calls as number),
          inputTokens: sign * (row.inputTokens as number),
          outputTokens: sign * (row.outputTokens as number),
          totalTokens: sign * (row.totalTokens as number),
          costMicros: sign * (row.costMicros as number),
        },
      });
    }
  }
  return rows;
}

type RollupTable = typeof schema.usageHourly | typeof schema.usageShiftedDaily;

const pick = (t: RollupTable, dimensions: readonly Dimension[]) =>
  Object.fromEntries(dimensions.map((k) => [k, t[k]]));

function visibleIn(db: Executor, viewer: UsageViewer, filter: UsageFilter, t: RollupTable): SQL | undefined {
  return and(
    visibleTo(db, viewer, { projectId: sql`${t.projectId}`, userId: sql`${t.userId}` }),
    filter.projectId ? eq(t.projectId, filter.projectId) : undefined,
  );
}
