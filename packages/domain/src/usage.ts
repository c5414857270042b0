// Usage reports: how figures are grouped and bucketed, and which time zones a report may be read in.

export const USAGE_GRANULARITIES = ["day", "week", "month"] as const;
export type UsageGranularity = (typeof USAGE_GRANULARITIES)[number];

/** A breakdown by who or what spent (`user` is the person on whose behalf a call ran), or by time. */
export const USAGE_GROUP_BYS = ["model", "agent", "project", "user", "day", "week", "month"] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BYS)[number];

/** Whether the runtime knows the IANA zone (`Europe/Berlin`, `UTC`); offsets and abbreviations are refused. */
export function isTimeZone(name: string): boolean {
  if (name !== "UTC" && !/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
