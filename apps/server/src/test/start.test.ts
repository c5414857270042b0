// What a newcomer's `pnpm start` runs once its build is done: the compiled server, in production mode.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { api, type Child, startChild } from "./child-server";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

describe("pnpm start", () => {
  let child: Child | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    const pid = child?.process.pid;
    if (pid !== undefined && child?.process.exitCode === null) {
      const exited = new Promise((resolve) => child?.process.once("exit", resolve));
      process.kill(-pid, "SIGTERM");
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("serves the built server in production mode on a fresh data directory, REST and docs included", async () => {
    const start: string = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts
      .start;
    const steps = start.split(" && ");
    const isBuild = (step: string) => /^pnpm .*\bbuild$/.test(step);
    expect(steps.some((step) => isBuild(step) && step.includes("@crewdeck/server"))).toBe(true);
    const serve = steps.filter((step) => !isBuild(step)).join(" && ");
    expect(serve).toMatch(/NODE_ENV=production node dist\/index\.js$/);

    execFileSync("pnpm", ["--silent", "--filter", "@crewdeck/server", "build"], { cwd: REPO_ROOT });
    dataDir = await mkdtemp(path.join(tmpdir(), "crewdeck-start-"));
    child = await startChild(
      { DATA_DIR: dataDir, WEB_DIST_DIR: path.join(dataDir, "no-web-build"), SIGNUP_MODE: "open" },
      { command: "sh", args: ["-c", serve], cwd: REPO_ROOT },
    );

    const health = await fetch(`${child.url}/health`).then((res) => res.json());
    expect(health).toMatchObject({ status: "ok", environment: "production", services: { database: "up" } });

    // The migrations (found beside the database package's source) ran, and REST answers through the bundle.
    const registered = await api(child, "POST", "/auth/register", undefined, {
      email: "start@example.test",
      username: "starter",
      password: "correct horse battery",
    });
    expect(registered.status).toBe(200);
    const token = registered.body.access_token;
    const created = await api(child, "POST", "/projects", token, { name: "Built" });
    expect(created.status).toBe(200);
    const read = await api(child, "GET", `/projects/${created.body.id}`, token);
    expect(read).toMatchObject({ status: 200, body: { id: created.body.id, name: "Built" } });
    const invalid = await api(child, "POST", "/projects", token, { name: "" });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe("VALIDATION_ERROR");

    const docs = await fetch(`${child.url}/api/docs/assets/swagger-ui-bundle.js`);
    expect(docs.status).toBe(200);
  }, 180_000);
});
