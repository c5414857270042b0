// A CPU profile of one part of a benchmark (`node --cpu-prof` profiles the whole process, set-up included):
// written to the file named by BENCH_CPU_PROFILE, if set, for Chrome DevTools or speedscope.
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";

/** Profiles `work` when BENCH_CPU_PROFILE names a file; otherwise just runs it. */
export async function profiled<T>(work: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  try {
    return await work();
  } finally {
    const { profile } = await session.post("Profiler.stop");
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the measured part written to ${file}`);
  }
}
