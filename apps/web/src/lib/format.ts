// How numbers, money and times read in the app.
// Money is written one way everywhere: dollars and cents, and more digits only for an amount under a cent
// (a model call often costs a fraction of one), where two significant digits say how much (e.g. $0.0042).
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const usdUnderACent = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumSignificantDigits: 2,
});
const integer = new Intl.NumberFormat("en-US");

export const formatUsd = (value: number) =>
  value !== 0 && Math.abs(value) < 0.01 ? usdUnderACent.format(value) : usd.format(value);
export const formatTokens = (value: number) => integer.format(value);

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 3600) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), "hour");
  return relative.format(Math.round(seconds / 86_400), "day");
}

export const formatDateTime = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "—";
