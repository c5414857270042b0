// The web app's build at /, with client-side routes falling back to index.html.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";
import type { AppEnv } from "./request-context";

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Crewdeck</title>
<p>The Crewdeck server is running, but the web app has not been built.</p>
<p>Run <code>pnpm --filter @crewdeck/web build</code> (or <code>pnpm start</code>, which builds it), then reload.</p>
<p>The API is up: <a href="/api/docs">/api/docs</a>.</p>`;

export function mountWeb(app: Hono<AppEnv>, distDir: string) {
  const indexFile = path.join(distDir, "index.html");
  if (existsSync(distDir)) app.use("/*", serveStatic({ root: path.relative(process.cwd(), distDir) || "." }));
  app.get("*", async (c) => {
    if (!existsSync(indexFile)) return c.html(NOT_BUILT, 200);
    return c.html(await readFile(indexFile, "utf8"));
  });
}
