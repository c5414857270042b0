// Figures every benchmark prints the same way.
import v8 from "node:v8";
import vm from "node:vm";

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes on one machine. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export type LatencySummary = { count: number; p50: number; p99: number; max: number; mean: number };

export function summarise(samples: number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const sum = samples.reduce((a, b) => a + b, 0);
  return {
    count: samples.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
    mean: samples.length > 0 ? sum / samples.length : Number.NaN,
  };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

export function printLatency(label: string, s: LatencySummary): void {
  console.log(
    `${label.padEnd(44)} n=${String(s.count).padStart(7)}  p50 ${ms(s.p50).padStart(10)}  p99 ${ms(s.p99).padStart(10)}  max ${ms(s.max).padStart(10)}`,
  );
}

/** A full garbage collection, so memory figures compare live objects rather than garbage. */
export const collectGarbage: () => void = (() => {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  return () => {
    gc();
    gc();
  };
})();

export const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
