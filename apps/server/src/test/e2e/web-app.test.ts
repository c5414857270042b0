// The web app end to end, in Chromium, against the real server on a temporary database and the local
// Anthropic fake: a newcomer registers, creates a project, meets the crew, chats, runs a task through the
// pipeline, hits a budget limit and pulls the emergency stop, connects GitHub and has the crew change code in
// a linked repository through to a merged pull request. Screenshots land in test-artifacts/e2e.
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type FakeAnthropic, freePort } from "@crewdeck/engine/testing";
import { type FakeGitHub, startFakeGitHub } from "@crewdeck/github/testing";
import { generate } from "otplib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServerWithModel, type TestServer } from "../harness";
import { DEFAULT_PIPELINE_ROLES, ROLE_ANSWERS } from "../role-answers";
import {
  buildWebApp,
  chromiumAvailable,
  clearScreenshots,
  launchChromium,
  openPage,
  screenshot,
  WEB_DIST_DIR,
} from "./browser";

/** How long a poll waits for the page to settle: as long as a locator waits, since CI machines are loaded. */
const SETTLE = { timeout: 15_000 };

const available = await chromiumAvailable();
if (!available)
  console.warn("Skipping the end-to-end tests: Chromium is not installed (apt-get install chromium)");

describe.skipIf(!available)("the web app, end to end", () => {
  let fake: FakeAnthropic;
  let github: FakeGitHub;
  let server: TestServer;
  let stop: () => Promise<void>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** What the browser refused under the Content-Security-Policy, as Chromium reports it on the console. */
  const cspViolations: string[] = [];
  let refreshes = 0;

  beforeAll(async () => {
    await Promise.all([buildWebApp(), clearScreenshots()]);
    // GitHub is the local fake; the server knows its own address (APP_URL) so GitHub's redirect comes back.
    github = await startFakeGitHub();
    const port = String(await freePort());
    // A 35-second access token is refreshed 30 seconds early, so the walk-through runs on refreshed tokens.
    ({ server, fake, stop } = await startTestServerWithModel({
      WEB_DIST_DIR,
      ACCESS_TOKEN_TTL_SECONDS: "35",
      PORT: port,
      APP_URL: `http://127.0.0.1:${port}`,
      GITHUB_WEB_URL: github.webUrl,
      GITHUB_API_URL: github.apiUrl,
      GITHUB_CLIENT_ID: github.oauthApp.clientId,
      GITHUB_CLIENT_SECRET: github.oauthApp.clientSecret,
    }));
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    page = await openPage(context, pageErrors);
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on("response", (response) => {
      if (response.url().endsWith("/api/v1/auth/refresh") && response.ok()) refreshes++;
    });
  }, 120_000);
  afterEach(async (test) => {
    // What the page showed when a step failed, next to the screenshots of the screens.
    if (test.task.result?.state === "fail") await screenshot(page, `failed-${test.task.name.slice(0, 40)}`);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stop?.();
    await github?.close();
  });

  it("registers a newcomer, who lands signed in and stays signed in across a reload", async () => {
    await page.goto("/");
    await expect.poll(() => page.url(), SETTLE).toContain("/login");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
    await page.getByLabel("Username").fill("ada");
    await page.getByLabel("Email", { exact: true }).fill("ada@example.com");
    await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
    await screenshot(page, "01-register");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("button", { name: "Account", exact: true }).waitFor();
    await page.reload();
    await page.getByRole("button", { name: "Account", exact: true }).waitFor();
    expect(page.url()).not.toContain("/login");
  });

  it("serves the app under a strict Content-Security-Policy, which it loads and signs in under", async () => {
    const response = await page.request.get("/");
    const policy = response.headers()["content-security-policy"] ?? "";
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "img-src 'self' data: blob:",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "object-src 'none'",
    ]) {
      expect(policy).toContain(directive);
    }
    expect(cspViolations).toEqual([]);
  });

  it("creates a project and sees its crew", async () => {
    await page.getByRole("button", { name: "New project" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New project" });
    await dialog.getByLabel("Name", { exact: true }).fill("Checkout");
    await dialog.getByLabel("Description").fill("One-click checkout for returning customers");
    await dialog.getByRole("button", { name: "Create project" }).click();
    await expect.poll(() => page.url(), SETTLE).toMatch(/\/projects\/[^/]+$/);
    await page.getByRole("heading", { name: "Checkout", level: 1 }).waitFor();
    for (const name of ["Architect", "QA"]) {
      await page.getByText(name, { exact: false }).first().waitFor();
    }
    await screenshot(page, "02-project-crew");
  });

  it("chats with the architect and sees the reply stream in, token by token", async () => {
    await page.getByRole("link", { name: "Chats in Checkout", exact: true }).click();
    await page.getByRole("heading", { name: "Chats", level: 1 }).waitFor();
    await page.getByRole("button", { name: "New chat" }).click();
    const dialog = page.getByRole("dialog", { name: "New chat" });
    await dialog.getByLabel("Title").fill("Payment design");
    // The project's crew is included at first; this chat is with the architect alone.
    const crew = dialog.getByRole("group", { name: "Agents" }).getByRole("checkbox");
    await expect.poll(() => crew.count(), SETTLE).toBe(6);
    for (const box of await crew.all()) await box.uncheck();
    await dialog.getByRole("checkbox", { name: "Architect" }).check();
    await dialog.getByRole("button", { name: "Start chat" }).click();
    await page.getByRole("heading", { name: "Payment design", level: 1 }).waitFor();

    // The reply pauses after its first tokens, so the page must show it before it is finished.
    const gate = fake.hold();
    fake.enqueue({ text: ["Reuse the **saved card** ", "token, ", "and charge it with one POST."] });
    await page.getByRole("textbox", { name: "Message" }).fill("How should one-click payment work?");
    await page.getByRole("button", { name: "Send" }).click();
    await gate.reached;
    const reply = page.getByRole("article", { name: "Message from Architect" });
    await reply.getByText("saved card").waitFor();
    await expect.poll(() => reply.textContent()).not.toContain("one POST");
    await screenshot(page, "03-chat-streaming");
    gate.release();
    await reply.getByText("and charge it with one POST.", { exact: false }).waitFor();
    await expect.poll(() => reply.getAttribute("aria-busy"), SETTLE).toBeNull();
    // Markdown is rendered, not shown as asterisks.
    expect(await reply.locator("strong").textContent()).toBe("saved card");
    await screenshot(page, "04-chat-replied");
  });

  it("shows an image from elsewhere in a reply as a link, never fetching it", async () => {
    // Where a prompt-injected agent would send the conversation: a local server that counts its visitors.
    const requests: string[] = [];
    const collector = createServer((req, res) => {
      requests.push(req.url ?? "");
      res.end();
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const leakUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/pixel.png?c=one-click-payment`;
    try {
      fake.enqueue({ text: `Here is the flow: ![payment flow](${leakUrl})` });
      await page.getByRole("textbox", { name: "Message" }).fill("Draw me the flow");
      await page.getByRole("button", { name: "Send" }).click();
      const reply = page.getByRole("article", { name: "Message from Architect" }).last();
      const link = reply.getByRole("link", { name: /payment flow/ });
      await link.waitFor();
      expect(await link.getAttribute("href")).toBe(leakUrl);
      expect(await link.textContent()).toContain(leakUrl);
      expect(await reply.locator("img").count()).toBe(0);
      await page.waitForTimeout(300);
      expect(requests).toEqual([]);
      expect(cspViolations).toEqual([]);
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });

  it("creates a task, starts it and watches the pipeline complete live", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tasks" }).click();
    await page.getByRole("button", { name: "New task" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New task" });
    await dialog.getByLabel("Title").fill("One-click checkout");
    await dialog.getByLabel("Description").fill("Returning customers pay with their saved card.");
    await dialog.getByLabel("Project", { exact: true }).selectOption({ label: "Checkout" });
    await dialog.getByRole("button", { name: "Create task" }).click();
    await page.getByRole("heading", { name: "One-click checkout", level: 1 }).waitFor();

    // The first step holds after its first tokens: the page shows it running before anything finishes.
    const gate = fake.hold();
    fake.enqueue(
      ...DEFAULT_PIPELINE_ROLES.map((role) => ({
        text: ROLE_ANSWERS[role] as string,
        usage: { input: 1200, output: 300 },
      })),
    );
    await page.getByRole("button", { name: "Start task" }).click();
    const start = page.getByRole("dialog", { name: "Start task" });
    await start.getByLabel("Instructions").fill("Keep the old checkout behind a flag.");
    await start.getByRole("button", { name: "Start run" }).click();
    await gate.reached;
    const steps = page.getByRole("list", { name: "Pipeline steps" }).getByRole("listitem");
    await steps
      .first()
      .getByText(/running/i)
      .waitFor();
    await screenshot(page, "05-task-running");
    gate.release();

    await expect.poll(() => steps.count(), SETTLE).toBe(DEFAULT_PIPELINE_ROLES.length);
    for (let i = 0; i < DEFAULT_PIPELINE_ROLES.length; i++) {
      await steps
        .nth(i)
        .getByText(/^completed$/i)
        .waitFor();
    }
    // Six steps of 1,200 tokens in each, as the fake reported them.
    await page.getByRole("region", { name: "Run totals" }).getByText("7,200").first().waitFor();
    await screenshot(page, "06-task-completed");
  });

  it("sets a blocking budget limit on the project and sees the crew refused in words", async () => {
    await page.getByRole("link", { name: "Budgets" }).click();
    await page.getByRole("button", { name: "New limit" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New limit" });
    await dialog.getByLabel("Name", { exact: true }).fill("Checkout cap");
    await dialog.getByLabel("Applies to").selectOption("project");
    await dialog.getByLabel("Project", { exact: true }).selectOption({ label: "Checkout" });
    await dialog.getByLabel("Amount (USD)").fill("0.01");
    await dialog.getByLabel("When exceeded").selectOption("block");
    await dialog.getByRole("button", { name: "Create limit" }).click();
    await page.getByRole("rowheader", { name: /Checkout cap/ }).waitFor();
    await screenshot(page, "07-budgets");

    await page.goBack(); // the task page
    await page.goto(page.url().replace(/\/tasks\/.*$/, "/chats"));
    await page.getByRole("main").getByRole("link", { name: "Payment design" }).click();
    const before = fake.requests.length;
    await page.getByRole("textbox", { name: "Message" }).fill("And refunds?");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByText(/Your message was not sent: .*Checkout cap/).waitFor();
    // Refused before the model was asked, and the draft is kept to send later.
    expect(fake.requests.length).toBe(before);
    expect(await page.getByRole("textbox", { name: "Message" }).inputValue()).toBe("And refunds?");
    await screenshot(page, "08-budget-refused");
  });

  it("pulls the emergency stop, sees everything paused, and resumes", async () => {
    await page.getByRole("button", { name: "Emergency stop" }).click();
    const dialog = page.getByRole("dialog", { name: "Emergency stop" });
    await dialog.getByLabel("Reason (optional)").fill("Checking the bill");
    await dialog.getByRole("button", { name: "Stop all agents" }).click();
    await page.getByRole("status").filter({ hasText: "All agents paused" }).waitFor();
    await screenshot(page, "09-emergency-paused");

    await page.getByRole("button", { name: "Resume all" }).click();
    await page
      .getByRole("alertdialog", { name: "Resume all agents?" })
      .getByRole("button", { name: "Resume all" })
      .click();
    await page.getByRole("button", { name: "Emergency stop" }).waitFor();
    expect(await page.getByRole("status").filter({ hasText: "All agents paused" }).count()).toBe(0);
  });

  it("works in a narrow window, with the navigation in a drawer", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
    await page.getByRole("button", { name: "Open navigation" }).click();
    const drawer = page.getByRole("dialog", { name: "Navigation" });
    await drawer.getByRole("link", { name: "Tasks", exact: true }).click();
    await drawer.waitFor({ state: "hidden" });
    await page.getByRole("heading", { name: "Tasks", level: 1 }).waitFor();
    await page.getByText("One-click checkout").first().waitFor();
    // Nothing on the page scrolls sideways.
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await screenshot(page, "10-narrow-tasks");
  });

  it("turns on two-factor authentication, signs out, and signs back in with the second step", async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Settings", exact: true })
      .click();
    await page.getByRole("tab", { name: "Security" }).click();
    await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
    const secret = (await page.locator("code.select-all").textContent())?.replace(/\s/g, "") ?? "";
    const backupCode =
      (await page.getByRole("list", { name: "Backup codes" }).getByRole("listitem").first().textContent()) ??
      "";
    await screenshot(page, "11-two-factor-setup");
    await page.getByLabel("Code", { exact: true }).fill(await generate({ secret }));
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await page.getByRole("button", { name: /Turn off two-factor/ }).waitFor();

    await page.getByRole("button", { name: "Account", exact: true }).click();
    await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
    await page.getByLabel("Email or username").fill("ada");
    await page.getByLabel("Password", { exact: true }).fill("correct horse battery");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Enter the 6-digit code from your authenticator app, or a backup code.").waitFor();
    await page.getByLabel("Code", { exact: true }).fill(backupCode.trim());
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("button", { name: "Account", exact: true }).waitFor();
    expect(page.url()).not.toContain("/login");
  });

  it("sets up an OpenAI-compatible model provider in Administration, its key never shown again", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Administration" })
      .click();
    const anthropic = page.getByRole("form", { name: "Anthropic" });
    await anthropic.getByText("From the server's environment").waitFor();
    const openai = page.getByRole("form", { name: "OpenAI-compatible" });
    await openai.getByText("Not ready").waitFor();
    await openai.getByLabel("API key").fill("sk-local-1234");
    await openai.getByLabel("Base URL (optional)").fill("http://127.0.0.1:11434/v1");
    await openai.getByRole("button", { name: "Save OpenAI-compatible" }).click();
    await openai.getByText("Set here").waitFor();
    await openai.getByText("Ready", { exact: true }).waitFor();
    expect(await openai.getByLabel("API key").inputValue()).toBe("");
    await openai.getByPlaceholder("Key in use …1234").waitFor();
    await screenshot(page, "12-admin-providers");
  });

  it("connects GitHub in Settings through the authorize page, syncs, and picks a repository for a new project", async () => {
    github.addUser("ada-gh", { name: "Ada" });
    github.addRepo("ada-gh/storefront", { language: "TypeScript", private: true, description: "The shop" });
    github.addRepo("ada-gh/handbook", { language: "Python" });
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Settings", exact: true })
      .click();
    await page.getByRole("tab", { name: "GitHub" }).click();
    await page.getByRole("button", { name: "Connect GitHub" }).click();
    // GitHub's own page, on GitHub's origin: the person approves there.
    await page.getByRole("link", { name: "Authorize" }).click();
    await page.getByText("GitHub connected as ada-gh.").waitFor();
    expect(page.url()).not.toContain("code=");
    await page.getByText("Connected as ada-gh", { exact: true }).waitFor();
    await screenshot(page, "13-github-connected");
    await page.getByRole("button", { name: "Sync repositories" }).click();
    await page.getByText("2 repositories synced (2 new)").waitFor();

    await page.getByRole("button", { name: "New project" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New project" });
    await dialog.getByLabel("Name", { exact: true }).fill("Storefront");
    await dialog.getByLabel("Repositories (optional)").fill("store");
    const list = dialog.getByRole("list", { name: "Your GitHub repositories" });
    await list.getByText("private").waitFor();
    // The search narrows the list once typing pauses.
    await expect.poll(() => list.getByText("ada-gh/handbook").count()).toBe(0);
    await list.getByRole("button", { name: "Add ada-gh/storefront" }).click();
    await dialog.getByRole("list", { name: "Chosen repositories" }).getByText("ada-gh/storefront").waitFor();
    await screenshot(page, "14-new-project-repository");
    await dialog.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("heading", { name: "Storefront", level: 1 }).waitFor();
    const linked = await server.deps.db.query.projectRepositories.findFirst({
      where: (t, { eq }) => eq(t.fullName, "ada-gh/storefront"),
    });
    expect(linked).toMatchObject({ language: "TypeScript", isPrivate: true, syncStatus: "synced" });
  });

  it("runs a task in the linked repository from the web app to a pull request, revises it on rejection and merges it on approval", async () => {
    // The repository the Storefront project links (the picker above) gets its code on the fake GitHub, served
    // over smart HTTP at the clone URL the sync stored, with a test script that passes only once tax is added.
    const FULL = "ada-gh/storefront";
    github.createGitRepository(FULL, {
      "src/cart.ts": "export const total = (a: number) => a;\n",
      "test.sh":
        '#!/bin/sh\ngrep -q "1.2" src/cart.ts && echo "1 test passed" && exit 0\necho "1 test failed"; exit 1\n',
    });
    const git = (...args: string[]) =>
      execFileSync("git", ["--git-dir", github.repo(FULL).gitDir!, ...args], { encoding: "utf8" });
    const edit = (from: string, to: string) => ({
      toolUses: [
        {
          name: "str_replace_based_edit_tool",
          input: { command: "str_replace", path: "storefront/src/cart.ts", old_str: from, new_str: to },
        },
      ],
    });
    const runTests = { toolUses: [{ name: "bash", input: { command: "cd storefront && sh test.sh" } }] };
    const answer = (role: string) => ({ text: ROLE_ANSWERS[role] as string });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tasks" }).click();
    await page.getByRole("button", { name: "New task" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New task" });
    await dialog.getByLabel("Title").fill("Cart tax");
    await dialog.getByLabel("Description").fill("Totals include 20% tax.");
    await dialog.getByLabel("Project", { exact: true }).selectOption({ label: "Storefront" });
    await dialog.getByRole("button", { name: "Create task" }).click();
    await page.getByRole("heading", { name: "Cart tax", level: 1 }).waitFor();

    // The whole crew runs; the senior developer reads and edits the file, QA runs the repository's tests.
    fake.enqueue(
      answer("product-manager"),
      answer("project-manager"),
      answer("architect"),
      {
        toolUses: [
          { name: "str_replace_based_edit_tool", input: { command: "view", path: "storefront/src/cart.ts" } },
        ],
      },
      edit("=> a;", "=> a * 1.2;"),
      answer("senior-developer"),
      answer("junior-developer"),
      runTests,
      answer("qa-engineer"),
    );
    await page.getByRole("button", { name: "Start task" }).click();
    const start = page.getByRole("dialog", { name: "Start task" });
    await start.getByLabel("Instructions").fill("Keep the total a number.");
    await start.getByRole("button", { name: "Start run" }).click();
    const steps = page.getByRole("list", { name: "Pipeline steps" }).getByRole("listitem");
    await expect.poll(() => steps.count(), SETTLE).toBe(DEFAULT_PIPELINE_ROLES.length);
    for (let i = 0; i < DEFAULT_PIPELINE_ROLES.length; i++) {
      await steps
        .nth(i)
        .getByText(/^completed$/i)
        .waitFor(SETTLE);
    }

    // The pull request the run opened, its diff with the scripted change, the run that produced it and what
    // the agents did, live.
    const card = page.getByRole("region", { name: "Pull request", exact: true });
    await card.getByRole("link", { name: "#1 Cart tax" }).waitFor(SETTLE);
    await card.getByRole("button", { name: "Approve #1" }).waitFor();
    await card.getByRole("button", { name: "Reject #1" }).waitFor();
    const changes = page.getByRole("region", { name: "Changes", exact: true });
    await changes.getByText("1 file changed, +1 −1").waitFor(SETTLE);
    await changes.getByText("src/cart.ts", { exact: true }).waitFor();
    const diff = changes.getByTestId("file-diff");
    await diff.getByText("a * 1.2").first().waitFor();
    const runs = page.getByRole("list", { name: "Runs, newest first" }).getByRole("listitem");
    await runs.first().getByText("current").waitFor();
    await runs.first().getByRole("link", { name: "Pull request" }).waitFor();
    const activity = page.getByRole("list", { name: "Agent activity" });
    await activity.getByText("ran cd storefront && sh test.sh").first().waitFor();
    await changes.scrollIntoViewIfNeeded();
    await screenshot(page, "16-coding-run");

    // On GitHub: one commit on the task branch with exactly that change, and the test results in the pull
    // request's description.
    const pull = github.issue(FULL, 1);
    const branch = pull.pull!.head;
    expect(branch).toMatch(/^crewdeck\/[a-z0-9]{8}-cart-tax$/);
    expect(git("rev-list", "--count", `main..${branch}`).trim()).toBe("1");
    expect(git("show", `${branch}:src/cart.ts`)).toBe("export const total = (a: number) => a * 1.2;\n");
    expect(pull.body).toContain("`cd storefront && sh test.sh` (qa-engineer): exit 0");

    // Rejected with feedback in the dialog: a revision run adds a commit to the same branch and pull request.
    fake.enqueue(
      edit("a * 1.2", "Math.round(a * 1.2 * 100) / 100"),
      answer("senior-developer"),
      runTests,
      answer("qa-engineer"),
    );
    await card.getByRole("button", { name: "Reject #1" }).click();
    const reject = page.getByRole("dialog", { name: "Request changes on #1" });
    await reject.getByLabel("Feedback").fill("Round the total to cents");
    await reject.getByRole("button", { name: "Send feedback" }).click();
    await reject.waitFor({ state: "hidden" });
    await expect.poll(() => runs.count(), SETTLE).toBe(2);
    await runs.first().getByText("completed", { exact: true }).waitFor(SETTLE);
    await runs.first().getByRole("link", { name: "Pull request" }).waitFor(SETTLE);
    await diff.getByText("Math.round(a * 1.2 * 100) / 100").first().waitFor(SETTLE);
    await changes.getByText("1 file changed, +1 −1").waitFor();
    expect(git("rev-list", "--count", `main..${branch}`).trim()).toBe("2");
    expect(github.issue(FULL, 1).comments.at(-1)?.body).toContain("Round the total to cents");
    const opened = github.apiRequests().filter((r) => r.method === "POST" && r.path.endsWith("/pulls"));
    expect(opened).toHaveLength(1);

    // Approved once GitHub's checks pass: merged on GitHub, and the task is completed.
    github.addCheckRun(FULL, github.issue(FULL, 1).pull!.headSha, {
      name: "test",
      status: "completed",
      conclusion: "success",
    });
    await card.getByRole("button", { name: "Approve #1" }).click();
    await card.getByText("Merged; the task is completed.").waitFor(SETTLE);
    await card.getByText("merged", { exact: true }).waitFor(SETTLE);
    await card.getByText("Checks passed").waitFor();
    expect(github.issue(FULL, 1).pull!.merged).toBe(true);
    expect(git("show", `${branch}:src/cart.ts`)).toBe(
      "export const total = (a: number) => Math.round(a * 1.2 * 100) / 100;\n",
    );
    await screenshot(page, "17-pull-request-merged");
  }, 120_000);

  it("says plainly when a task or a page is not there", async () => {
    await page.goto("/tasks/no-such-task");
    await page.getByRole("heading", { name: "Task not found", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Back to tasks" }).click();
    await page.getByRole("heading", { name: "Tasks", level: 1 }).waitFor();
    await page.goto("/no/such/page");
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    expect(await page.getByRole("heading", { level: 1 }).first().textContent()).toMatch(/not found/i);
  });

  it("makes sign-up by invitation in Administration, and a newcomer signs up through a site link", async () => {
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Administration" })
      .click();
    const settings = page.getByRole("form", { name: "Site settings" });
    await settings.getByLabel("Who may sign up").selectOption("invite");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Site settings saved").waitFor();
    await page.getByRole("button", { name: "Invite to the site" }).click();
    await page
      .getByRole("dialog", { name: "Invite to the site" })
      .getByRole("button", { name: "Create link" })
      .click();
    const created = page.getByRole("dialog", { name: "Invitation created" });
    const link = await created.getByRole("textbox", { name: "Invitation link" }).inputValue();
    expect(link.startsWith(`${server.url}/invite/inv_`)).toBe(true);
    await screenshot(page, "18-site-invitation");
    await created.getByRole("button", { name: "Done" }).click();
    await page
      .getByRole("list", { name: "Pending invitations" })
      .getByText("anyone with the link", { exact: true })
      .waitFor();

    const visitor = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    try {
      const newcomer = await visitor.newPage();
      await newcomer.goto("/register");
      await newcomer.getByText("Sign-up on this server is by invitation").waitFor();
      await newcomer.goto(new URL(link).pathname);
      await newcomer.getByText("You were invited").waitFor();
      await newcomer.getByLabel("Username").fill("grace");
      await newcomer.getByLabel("Email", { exact: true }).fill("grace@example.com");
      await newcomer.getByLabel("Password", { exact: true }).fill("correct horse battery");
      await newcomer.getByRole("button", { name: "Create account" }).click();
      await newcomer.getByRole("button", { name: "Account", exact: true }).waitFor();
    } finally {
      await visitor.close();
    }
    await page.reload();
    await page.getByText("No pending invitations.").waitFor();
  });

  it("refreshed the short-lived access token silently along the way", () => {
    expect(refreshes).toBeGreaterThan(0);
  });

  it("serves the API docs under their policy", async () => {
    const docs = await context.newPage();
    const violations: string[] = [];
    docs.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    try {
      const response = await docs.goto("/api/docs");
      expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
      await docs
        .getByRole("heading", { name: /Crewdeck/ })
        .first()
        .waitFor();
      // Swagger UI renders the first operations at once and the rest as they scroll into view.
      await docs.getByText("/auth/login", { exact: true }).first().waitFor();
      expect(violations).toEqual([]);
    } finally {
      await docs.close();
    }
  });

  it("met no Content-Security-Policy refusals along the way", () => {
    expect(cspViolations).toEqual([]);
  });

  it("had no uncaught errors in the page", () => {
    expect(pageErrors).toEqual([]);
  });
});
