// Usage figures for a range and a scope, cut into the range's buckets: read from the hourly rollup, and
// from the usage rows only for the hours a bucket boundary cuts (zones at half and quarter hours).
import { type Executor, schema } from "@crewdeck/db";
import { and, eq, gte, inArray, lt, notInArray, or, type SQL, sql } from "drizzle-orm";
import { memberProjectIds } from "../budgets/limit-access";
import { credentialProjectId } from "../projects/access";
import { bucketIndexOf, HOUR_MS, type ReportRange, splitHours } from "./time-buckets";

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

function visibleHours(db: Executor, viewer: UsageViewer, filter: UsageFilter): SQL | undefined {
  const h = schema.usageHourly;
  return and(
    visibleTo(db, viewer, { projectId: sql`${h.projectId}`, userId: sql`${h.userId}` }),
    filter.projectId ? eq(h.projectId, filter.projectId) : undefined,
  );
}

const QUARTER_HOUR_MS = 900_000;

/** Every bucket's figures over the range, broken down by `dimensions` (none: one row per bucket). */
export async function readFigures(
  db: Executor,
  viewer: UsageViewer,
  filter: UsageFilter,
  range: ReportRange,
  dimensions: readonly Dimension[],
): Promise<FigureRow[]> {
  const h = schema.usageHourly;
  const u = schema.usageRecords;
  const cut = splitHours(range);
  const firstHour = Math.ceil(range.start / HOUR_MS) * HOUR_MS;
  const endHour = Math.floor(range.end / HOUR_MS) * HOUR_MS;

  const hourKeys = Object.fromEntries(dimensions.map((d) => [d, h[d]]));
  const hourly = db
    .select({
      at: sql<number>`${h.hour}`.mapWith(Number),
      ...hourKeys,
      calls: sql<number>`sum(${h.calls})`.mapWith(Number),
      inputTokens: sql<number>`sum(${h.inputTokens})`.mapWith(Number),
      outputTokens: sql<number>`sum(${h.outputTokens})`.mapWith(Number),
      totalTokens: sql<number>`sum(${h.totalTokens})`.mapWith(Number),
      costMicros: sql<number>`sum(${h.costMicros})`.mapWith(Number),
    })
    .from(h)
    .where(
      and(
        gte(h.hour, new Date(firstHour)),
        lt(h.hour, new Date(endHour)),
        cut.length > 0
          ? notInArray(
              h.hour,
              cut.map((at) => new Date(at)),
            )
          : undefined,
        visibleHours(db, viewer, filter),
      ),
    )
    .groupBy(h.hour, ...dimensions.map((d) => h[d])) as unknown as Promise<Array<Record<string, unknown>>>;

  // The cut hours (and the range's own edges inside an hour) in quarter hours, the finest any zone cuts at.
  const rawSpans = cut.map((hour) => [Math.max(hour, range.start), Math.min(hour + HOUR_MS, range.end)]);
  const rawKeys = Object.fromEntries(
    dimensions.map((d) => [d, d === "model" ? u.model : sql<string>`coalesce(${u[d]}, '')`]),
  );
  const quarter = sql<number>`${u.createdAt} - ${u.createdAt} % ${QUARTER_HOUR_MS}`;
  const raw =
    rawSpans.length === 0
      ? Promise.resolve([])
      : (db
          .select({
            at: quarter.mapWith(Number),
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
                ...rawSpans.map(([from, to]) =>
                  and(gte(u.createdAt, new Date(from as number)), lt(u.createdAt, new Date(to as number))),
                ),
              ),
              visibleRecords(db, viewer, filter),
            ),
          )
          .groupBy(quarter, ...dimensions.map((d) => rawKeys[d] as SQL)) as unknown as Promise<
          Array<Record<string, unknown>>
        >);

  const rows: FigureRow[] = [];
  for (const row of [...(await hourly), ...(await raw)]) {
    const bucket = bucketIndexOf(range.buckets, row.at as number);
    if (bucket < 0) continue;
    const keys: Partial<Record<Dimension, string>> = {};
    for (const d of dimensions) keys[d] = String(row[d] ?? "");
    rows.push({
      bucket,
      keys,
      figures: {
        calls: row.calls as number,
        inputTokens: row.inputTokens as number,
        outputTokens: row.outputTokens as number,
        totalTokens: row.totalTokens as number,
        costMicros: row.costMicros as number,
      },
    });
  }
  return rows;
}
