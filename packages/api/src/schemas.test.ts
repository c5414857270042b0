// The web app bundles `@crewdeck/api/schemas` into the browser: nothing it reaches may load server code
// (a `types.ts` that imported `@crewdeck/db` once crashed every form with "fileURLToPath is not a function").
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = path.dirname(fileURLToPath(import.meta.url));
/** Packages a browser may load; anything else of ours, and Node's own modules, are server code. */
const BROWSER_SAFE = new Set(["zod", "@crewdeck/domain"]);

/** Value imports and re-exports of a module (`import type` and `export type` are erased by the build). */
function valueImports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs: string[] = [];
  for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gms)) {
    specs.push(match[1] as string);
  }
  return specs;
}

function reachable(entry: string): { files: string[]; packages: Map<string, string> } {
  const files: string[] = [];
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (files.includes(file)) continue;
    files.push(file);
    for (const spec of valueImports(file)) {
      if (spec.startsWith(".")) queue.push(path.resolve(path.dirname(file), `${spec}.ts`));
      else packages.set(spec, path.relative(SRC, file));
    }
  }
  return { files, packages };
}

describe("@crewdeck/api/schemas", () => {
  it("reaches only zod and the domain package, so the browser never loads server code", () => {
    const { files, packages } = reachable(path.join(SRC, "schemas.ts"));
    expect(files.length).toBeGreaterThan(5);
    const serverOnly = [...packages].filter(([spec]) => !BROWSER_SAFE.has(spec));
    expect(serverOnly.map(([spec, from]) => `${spec} (imported by ${from})`)).toEqual([]);
  });
});
