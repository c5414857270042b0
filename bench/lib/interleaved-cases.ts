// Reads measured side by side: each case is one read done several ways (through HTTP, a minimal route, the
// service alone, hand-written SQL). Rounds interleave every case's sides, so a burst of load on the machine
// lands on all of them alike rather than on whichever ran at that moment.

export type BenchCase<Side extends string> = { name: string; goal?: number } & Partial<
  Record<Side, () => Promise<unknown>>
>;

/** A side's latencies (ms) and the CPU time this process spent on them (ms, server and client alike). */
export type SideSamples = { latencies: number[]; cpuMs: number };

export type InterleaveOptions<Side extends string> = {
  rounds: number;
  /** Calls per case and side in a round; a side slower than its slice stops early. */
  perRound: number;
  sliceMs: number;
  /** Keep to one side (e.g. `http` while profiling). */
  only?: Side | undefined;
};

/** Runs every case's every side once, so the first measured call does not pay for a cold path. */
export async function warmUp<Side extends string>(cases: BenchCase<Side>[], sides: readonly Side[]) {
  for (const c of cases) for (const side of sides) await c[side]?.();
}

export async function sampleInterleaved<Side extends string>(
  cases: BenchCase<Side>[],
  sides: readonly Side[],
  options: InterleaveOptions<Side>,
): Promise<Map<string, Record<Side, SideSamples>>> {
  const empty = (): Record<Side, SideSamples> => {
    const bySide = {} as Record<Side, SideSamples>;
    for (const side of sides) bySide[side] = { latencies: [], cpuMs: 0 };
    return bySide;
  };
  const samples = new Map(cases.map((c) => [c.name, empty()]));
  for (let round = 0; round < options.rounds; round++) {
    for (const c of cases) {
      const bucket = samples.get(c.name)!;
      for (const side of sides) {
        const fn = c[side];
        if (!fn || (options.only && side !== options.only)) continue;
        const sliceStart = performance.now();
        const cpuStart = process.cpuUsage();
        for (let i = 0; i < options.perRound && performance.now() - sliceStart < options.sliceMs; i++) {
          const t = performance.now();
          await fn();
          bucket[side].latencies.push(performance.now() - t);
        }
        const cpu = process.cpuUsage(cpuStart);
        bucket[side].cpuMs += (cpu.user + cpu.system) / 1000;
      }
    }
  }
  return samples;
}

/** `n` rows (column `i`, from 0) generated inside SQLite, so a million rows cost one statement. */
export const seriesSql = (n: number) =>
  `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${n - 1}) `;
