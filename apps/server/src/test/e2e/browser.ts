// Chromium for the end-to-end tests: Debian's package driven by playwright-core (no browser download).
// Without it the suite is skipped locally, and fails where it is required (CI sets CREWDECK_E2E_REQUIRED).
import { execFile } from "node:child_process";
import { access, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../..");
export const WEB_DIST_DIR = path.join(REPO_ROOT, "apps/web/dist");
/** Screenshots of the main screens, for people to look at (not committed). */
export const ARTIFACTS_DIR = path.join(REPO_ROOT, "test-artifacts/e2e");

export async function chromiumAvailable(): Promise<boolean> {
  const found = await access(CHROMIUM).then(
    () => true,
    () => false,
  );
  if (!found && process.env.CREWDECK_E2E_REQUIRED) {
    throw new Error(`Chromium is required for the end-to-end tests but ${CHROMIUM} is missing`);
  }
  return found;
}

/**
 * Builds the web app the server will serve, so the suite never drives a stale bundle (CI builds it too; a
 * build takes seconds).
 */
export async function buildWebApp(): Promise<void> {
  await promisify(execFile)("pnpm", ["--filter", "@crewdeck/web", "build"], {
    cwd: REPO_ROOT,
    // Vitest sets NODE_ENV=test, which would make Vite build React's development bundle.
    env: { ...process.env, NODE_ENV: "production" },
  }).catch((error: { stderr?: string }) => {
    throw new Error(`The web app did not build:\n${error.stderr ?? String(error)}`);
  });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Empties the screenshot folder, so what it holds after a run is that run's screens only. */
export async function clearScreenshots(): Promise<void> {
  await rm(ARTIFACTS_DIR, { recursive: true, force: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}
