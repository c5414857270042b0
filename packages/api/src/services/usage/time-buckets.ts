// Days, weeks and months in a person's time zone, as UTC instants: where a report's range starts and ends
// and where each of its buckets begins. Built on the runtime's own zone data (Intl), so a daylight-saving
// day is 23 or 25 hours long and a month starts at the local midnight of its first day.

import type { UsageGranularity } from "@crewdeck/domain";

export type Granularity = UsageGranularity;

export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A calendar date, months 1–12. */
export type LocalDate = { year: number; month: number; day: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock in `timeZone` at `at`, read as if it were UTC (so the difference is the zone's offset). */
function wallClockAsUtc(timeZone: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** The zone's offset from UTC at `at`, in milliseconds (east positive). */
const offsetAt = (timeZone: string, at: number) => wallClockAsUtc(timeZone, at) - (at - (at % 1000));

/** The local date of an instant. */
export function localDateOf(timeZone: string, at: number): LocalDate {
  const wall = new Date(wallClockAsUtc(timeZone, at));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/**
 * The instant a local date begins. Where a zone skips its midnight (a daylight-saving change at 00:00),
 * the day begins at the first instant that exists, an hour later.
 */
export function startOfLocalDate(timeZone: string, date: LocalDate): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  let at = wall - offsetAt(timeZone, wall);
  // The offset can differ on either side of a change; a second pass settles on the one in force then.
  at = wall - offsetAt(timeZone, at);
  if (wallClockAsUtc(timeZone, at) < wall) at += HOUR_MS;
  return at;
}

/** Calendar arithmetic on dates, free of zones. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const addMonths = (date: LocalDate, months: number): LocalDate => {
  const index = date.year * 12 + (date.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 };
};

export const formatLocalDate = (d: LocalDate) =>
  `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;

export function parseLocalDate(text: string): LocalDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (check.getUTCMonth() !== date.month - 1 || check.getUTCDate() !== date.day) return null;
  return date;
}

/** Days from `a` to `b` (calendar days, so a daylight-saving change does not count). */
export const daysBetween = (a: LocalDate, b: LocalDate) =>
  Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);

/** The first day of the bucket holding `date`: itself, its week's Monday, or its month's first. */
function bucketDateOf(date: LocalDate, granularity: Granularity): LocalDate {
  if (granularity === "day") return date;
  if (granularity === "month") return { ...date, day: 1 };
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay(); // 0 Sunday
  return addDays(date, -((weekday + 6) % 7));
}

const nextBucketDate = (date: LocalDate, granularity: Granularity) =>
  granularity === "day" ? addDays(date, 1) : granularity === "week" ? addDays(date, 7) : addMonths(date, 1);

export type Bucket = {
  /** The local date the bucket is named by (a day, a week's Monday, a month's first). */
  date: string;
  /** Where the bucket's figures start and end within the range (the first and last may be partial). */
  start: number;
  end: number;
};

export type ReportRange = {
  timeZone: string;
  granularity: Granularity;
  firstDate: LocalDate;
  lastDate: LocalDate;
  start: number;
  end: number;
  buckets: Bucket[];
};

/** The range from the local midnight starting `first` to the one ending `last`, cut into buckets. */
export function reportRange(
  timeZone: string,
  first: LocalDate,
  last: LocalDate,
  granularity: Granularity,
): ReportRange {
  const start = startOfLocalDate(timeZone, first);
  const end = startOfLocalDate(timeZone, addDays(last, 1));
  const buckets: Bucket[] = [];
  let date = bucketDateOf(first, granularity);
  while (true) {
    const next = nextBucketDate(date, granularity);
    const bucketStart = Math.max(start, startOfLocalDate(timeZone, date));
    const bucketEnd = Math.min(end, startOfLocalDate(timeZone, next));
    if (bucketStart >= end) break;
    buckets.push({ date: formatLocalDate(date), start: bucketStart, end: bucketEnd });
    date = next;
  }
  return { timeZone, granularity, firstDate: first, lastDate: last, start, end, buckets };
}

/** A stretch of time whose figures count (sign 1) or are taken back (sign -1) in one bucket. */
export type Piece = { bucket: number; from: number; to: number; sign: 1 | -1 };

/** Where each bucket's figures are read: 24-hour windows, whole hours, and usage rows for part hours. */
export type ReadPlan = {
  /** Window start → bucket, per shift (the UTC hour the windows start at). */
  windows: Map<number, Map<number, number>>;
  /** Hour start → bucket. */
  hours: Map<number, number>;
  /** Part hours, read from the usage rows (zones at half and quarter hours). */
  raw: Piece[];
};

/**
 * Cuts every bucket into what the rollups hold: from the hour its start falls in, as many 24-hour windows as
 * fit, then whole hours up to the hour its end falls in; a start or end inside an hour is corrected from the
 * usage rows (the part of the first hour before the start taken back, the part of the last one added).
 */
export function readPlan(range: ReportRange): ReadPlan {
  const plan: ReadPlan = { windows: new Map(), hours: new Map(), raw: [] };
  range.buckets.forEach((bucket, index) => {
    const first = bucket.start - (bucket.start % HOUR_MS);
    const last = bucket.end - (bucket.end % HOUR_MS);
    const days = Math.floor((last - first) / DAY_MS);
    if (days > 0) {
      const shift = (first / HOUR_MS) % 24;
      let windows = plan.windows.get(shift);
      if (!windows) {
        windows = new Map();
        plan.windows.set(shift, windows);
      }
      for (let d = 0; d < days; d++) windows.set(first + d * DAY_MS, index);
    }
    for (let at = first + days * DAY_MS; at < last; at += HOUR_MS) plan.hours.set(at, index);
    if (first < bucket.start) plan.raw.push({ bucket: index, from: first, to: bucket.start, sign: -1 });
    if (last < bucket.end) plan.raw.push({ bucket: index, from: last, to: bucket.end, sign: 1 });
  });
  return plan;
}
