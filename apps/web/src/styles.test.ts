// The dark palette is written twice in styles.css — once for a person who chose dark, once for a system that
// prefers it — because CSS cannot join a selector and a media query in one rule. This keeps the two copies,
// and the light palette's names, in step.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = readFileSync(new URL("./styles.css", import.meta.url), "utf8");

/** The `--color-*` declarations of the first rule opened by `opening`, in order. */
function colours(opening: string): [string, string][] {
  const start = css.indexOf(opening);
  expect(start, `styles.css has ${opening}`).toBeGreaterThanOrEqual(0);
  const body = css.slice(start + opening.length, css.indexOf("}", start));
  return [...body.matchAll(/(--color-[\w-]+):\s*([^;]+);/g)].map((m) => [
    m[1] as string,
    (m[2] as string).trim(),
  ]);
}

describe("styles.css palettes", () => {
  const light = colours("@theme {");
  const chosenDark = colours(':root[data-theme="dark"] {');
  const systemDark = colours(':root:not([data-theme="light"]) {');

  it("gives the system's dark theme exactly the colours of the chosen one", () => {
    expect(systemDark).toEqual(chosenDark);
  });

  it("has a dark colour for every colour of the light palette", () => {
    expect(chosenDark.map(([name]) => name)).toEqual(light.map(([name]) => name));
  });
});
