// Chromium for the end-to-end tests: Debian's package driven by playwright-core (no browser download).
// Without it the suite is skipped locally, and fails where it is required (CI sets CREWDECK_E2E_REQUIRED).
import { execFile } from "node:child_process";
import { access, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

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

/** A new page of `context` that waits up to 15 s for what a step looks for, and adds its uncaught errors to `errors`. */
export async function openPage(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => errors.push(error.message));
  return page;
}

/** Fills in and sends the sign-in form the page shows. */
export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel("Email or username").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in from /login and waits for the signed-in app (its Account menu). */
export async function signInFromLogin(page: Page, login: string, password: string): Promise<void> {
  await page.goto("/login");
  await signIn(page, login, password);
  await page.getByRole("button", { name: "Account", exact: true }).waitFor();
}
