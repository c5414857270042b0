// The Usage page's view lives in the address (?groupBy=&days=&granularity=), so a chart can be bookmarked
// and shared. These read the address into the report's input, in the person's own time zone.
import { USAGE_GRANULARITIES, type UsageGranularity } from "@crewdeck/domain";
import type { RouterInputs } from "../../lib/trpc";

export const USAGE_GROUPINGS = ["model", "agent", "project", "user"] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

export const GROUPING_LABELS: Record<UsageGrouping, string> = {
  model: "Model",
  agent: "Agent",
  project: "Project",
  user: "Person",
};

/** A report's grouping in words ("Agent"); the time groupings read as themselves. */
export const groupingLabel = (groupBy: string): string =>
  isOneOf(USAGE_GROUPINGS, groupBy) ? GROUPING_LABELS[groupBy] : groupBy;

export const GRANULARITY_LABELS: Record<UsageGranularity, string> = {
  day: "Day",
  week: "Week",
  month: "Month",
};

/** The ranges offered, in days up to and including today. */
export const RANGE_DAYS = [7, 30, 90, 365] as const;
export const RANGE_LABELS: Record<(typeof RANGE_DAYS)[number], string> = {
  7: "7 days",
  30: "30 days",
  90: "90 days",
  365: "1 year",
};

export type UsageView = { groupBy: UsageGrouping; days: number; granularity: UsageGranularity };
export type UsageViewKey = keyof UsageView;

const DEFAULT_VIEW: UsageView = { groupBy: "model", days: 30, granularity: "day" };

const isOneOf = <T extends string>(list: readonly T[], value: string | null): value is T =>
  value !== null && (list as readonly string[]).includes(value);

export function readUsageView(params: URLSearchParams): UsageView {
  const groupBy = params.get("groupBy");
  const granularity = params.get("granularity");
  const days = Number(params.get("days"));
  return {
    groupBy: isOneOf(USAGE_GROUPINGS, groupBy) ? groupBy : DEFAULT_VIEW.groupBy,
    days: (RANGE_DAYS as readonly number[]).includes(days) ? days : DEFAULT_VIEW.days,
    granularity: isOneOf(USAGE_GRANULARITIES, granularity) ? granularity : DEFAULT_VIEW.granularity,
  };
}

/** A copy of `params` with one part of the view set; defaults are left out so the plain address stays plain. */
export function withUsageView<K extends UsageViewKey>(
  params: URLSearchParams,
  key: K,
  value: UsageView[K],
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === DEFAULT_VIEW[key]) next.delete(key);
  else next.set(key, String(value));
  return next;
}

/** The browser's IANA time zone, so days start at the person's midnight (the server defaults to UTC). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function toAnalyticsInput(view: UsageView, tz: string): RouterInputs["usage"]["analytics"] {
  return { groupBy: view.groupBy, granularity: view.granularity, timeRange: view.days, tz };
}

/** The CSV export's address for a range the server answered (its dates are already in `tz`). */
export function usageExportPath(
  scope: { kind: "site" } | { kind: "project"; projectId: string } | { kind: "task"; taskId: string },
  range?: { startDate: string; endDate: string; tz: string },
): string {
  const base =
    scope.kind === "site"
      ? "/api/v1/usage/export"
      : scope.kind === "project"
        ? `/api/v1/usage/projects/${encodeURIComponent(scope.projectId)}/export`
        : `/api/v1/usage/tasks/${encodeURIComponent(scope.taskId)}/export`;
  if (!range) return base;
  const query = new URLSearchParams({ startDate: range.startDate, endDate: range.endDate, tz: range.tz });
  return `${base}?${query}`;
}
