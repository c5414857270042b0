// Runs every benchmark in this folder in turn: `pnpm bench`, or `pnpm bench <name>…` for some of them.
// A benchmark is a `bench/<name>.ts` that exports `run(): Promise<void>` and prints its own figures.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);

const names = (await readdir(here))
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.slice(0, -".ts".length))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();
if (names.length === 0) {
  console.error(`No benchmark named ${wanted.join(", ")}`);
  process.exit(1);
}

for (const name of names) {
  const module = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as {
    run?: () => Promise<void>;
  };
  if (typeof module.run !== "function") continue;
  console.log(`\n=== ${name} ===`);
  const started = performance.now();
  await module.run();
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
// Servers, pools and timers a benchmark leaves behind must not keep the process alive.
process.exit(0);
