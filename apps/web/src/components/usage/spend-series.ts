// The analytics buckets turned into what a stacked chart draws: one row per bucket with a figure per
// group, the costliest groups as their own series and the rest summed as "Other" so the legend stays short.
import type { RouterOutputs } from "../../lib/trpc";

export type UsageAnalytics = RouterOutputs["usage"]["analytics"];
export type UsageGroup = UsageAnalytics["groups"][number];

export type SpendSeries = { key: string; name: string; colour: string };
export type SpendRow = { date: string; label: string; totalCostUsd: number } & Record<
  string,
  number | string
>;

/** Enough distinct hues for the series shown; readable on the light and dark backgrounds. */
export const SERIES_COLOURS = [
  "#2563eb",
  "#16a34a",
  "#ea580c",
  "#9333ea",
  "#0891b2",
  "#db2777",
  "#ca8a04",
  "#64748b",
] as const;

export const OTHER_KEY = "__other";
/** Series drawn besides "Other": one colour is kept for it. */
const MAX_SERIES = SERIES_COLOURS.length - 1;

/** A series key that cannot collide with a row's own fields (date, label, totalCostUsd). */
const seriesKey = (groupKey: string) => `g:${groupKey}`;

const dayLabel = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const monthLabel = new Intl.DateTimeFormat("en-US", { month: "short", year: "numeric", timeZone: "UTC" });

/** A bucket's date (YYYY-MM-DD in the report's zone) as a short axis label. */
export function bucketLabel(date: string, granularity: UsageAnalytics["range"]["granularity"]): string {
  const at = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return granularity === "month" ? monthLabel.format(at) : dayLabel.format(at);
}

export function spendSeries(analytics: UsageAnalytics): { series: SpendSeries[]; rows: SpendRow[] } {
  const ranked = [...analytics.groups].sort((a, b) => b.totalCostUsd - a.totalCostUsd);
  const overflow = ranked.length > MAX_SERIES + 1;
  const shown = overflow ? ranked.slice(0, MAX_SERIES) : ranked;
  const shownKeys = new Set(shown.map((g) => g.id));
  const series: SpendSeries[] = shown.map((group, i) => ({
    key: seriesKey(group.id),
    name: group.name || "None",
    colour: SERIES_COLOURS[i % SERIES_COLOURS.length] ?? "#64748b",
  }));
  if (overflow)
    series.push({ key: OTHER_KEY, name: "Other", colour: SERIES_COLOURS[MAX_SERIES] ?? "#64748b" });

  const rows = analytics.buckets.map((bucket) => {
    const row: SpendRow = {
      date: bucket.date,
      label: bucketLabel(bucket.date, analytics.range.granularity),
      totalCostUsd: bucket.totalCostUsd,
    };
    for (const s of series) row[s.key] = 0;
    for (const group of bucket.groups) {
      const key = shownKeys.has(group.id) ? seriesKey(group.id) : OTHER_KEY;
      row[key] = (Number(row[key]) || 0) + group.totalCostUsd;
    }
    return row;
  });
  return { series, rows };
}

const TOTAL_SERIES: SpendSeries = { key: "g:total", name: "Spend", colour: SERIES_COLOURS[0] };

/** Buckets without groups (a project's daily trend) as one series. */
export function trendSeries(
  buckets: ReadonlyArray<{ date: string; totalCostUsd: number }>,
  granularity: UsageAnalytics["range"]["granularity"],
): { series: SpendSeries[]; rows: SpendRow[] } {
  return {
    series: [TOTAL_SERIES],
    rows: buckets.map((bucket) => ({
      date: bucket.date,
      label: bucketLabel(bucket.date, granularity),
      totalCostUsd: bucket.totalCostUsd,
      [TOTAL_SERIES.key]: bucket.totalCostUsd,
    })),
  };
}
