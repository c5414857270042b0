// The Usage page end to end, in Chromium, against the real server and the local Anthropic fake: crew agents
// answer chats (so usage is written by the engine as in production), then an administrator opens the Usage
// page, switches the grouping and the range (the address, the chart's figures and the table follow) and
// downloads the CSV, whose rows are the calls made.
import { readFile } from "node:fs/promises";
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import { parse } from "csv-parse/sync";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createCrewConversation,
  registerUser,
  startTestServerWithModel,
  type TestServer,
  type TestUser,
} from "../harness";
import {
  buildWebApp,
  chromiumAvailable,
  launchChromium,
  openPage,
  screenshot,
  signInFromLogin,
  WEB_DIST_DIR,
} from "./browser";

const SETTLE = { timeout: 15_000 };
const available = await chromiumAvailable();

describe.skipIf(!available)("the Usage page, end to end", () => {
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: TestUser;
  let agentNames: string[];
  let models: string[];
  let projectId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await buildWebApp();
    ({ server, fake, stop } = await startTestServerWithModel({ WEB_DIST_DIR }));
    // The first account of a fresh install administers it, so it may download the whole site's calls.
    admin = await registerUser(server, "usageadmin");
    const token = admin.access_token;
    const post = async (path: string, body: unknown) => {
      const res = await server.api("POST", path, { token, body });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    // Two crew agents each answer a chat: two calls, one per agent, metered by the engine.
    const first = await createCrewConversation(server, token, ["product-manager"]);
    const crew = (await server.api("GET", `/projects/${first.projectId}/agents`, { token })).body
      .items as Array<{
      id: string;
      name: string;
      role: string;
      modelConfig: { model: string };
    }>;
    const architect = crew.find((a) => a.role === "architect")!;
    // The architect's chat is about a task, so its call is the task's (and the task tops the list).
    const task = await post("/tasks", { title: "Checkout button", projectId: first.projectId });
    const second = await post("/conversations", {
      title: "Design",
      projectId: first.projectId,
      agentIds: [architect.id],
      taskId: task.id,
    });
    projectId = first.projectId;
    const pm = crew.find((a) => a.role === "product-manager")!;
    agentNames = [pm.name, architect.name];
    models = [...new Set([pm.modelConfig.model, architect.modelConfig.model])];
    fake.enqueue({ text: "Plan ready.", usage: { input: 12_000, output: 3_000 } });
    await post(`/conversations/${first.conversation.id}/messages`, { content: "Plan checkout" });
    await server.deps.engine.replies.idle();
    fake.enqueue({ text: "Design ready.", usage: { input: 20_000, output: 5_000 } });
    await post(`/conversations/${second.id}/messages`, { content: "Design checkout" });
    await server.deps.engine.replies.idle();

    // A daily limit over everything the admin spends: drawn on the daily chart, and listed with its use.
    await post("/budget/limits", { name: "Team daily", scopeType: "global", amountUsd: 5, period: "daily" });

    browser = await launchChromium();
    // A phone's width: the page and its chart must work at 390 px.
    context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 390, height: 844 },
      acceptDownloads: true,
    });
    page = await openPage(context, pageErrors);
  }, 120_000);
  afterEach(async (test) => {
    if (test.task.result?.state === "fail")
      await screenshot(page, `usage-failed-${test.task.name.slice(0, 40)}`);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stop?.();
  });

  /** The visible rows of the groups table (the one after the chart's hidden figures). */
  const groupRows = () =>
    page
      .getByRole("table")
      .filter({ has: page.getByRole("columnheader", { name: "Calls" }) })
      .first()
      .getByRole("row")
      .allInnerTexts();

  it("signs in and opens Usage from the menu, grouped by model over 30 days", async () => {
    await signInFromLogin(page, admin.username, admin.password);
    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("link", { name: "Usage" }).click();
    await expect.poll(() => new URL(page.url()).pathname, SETTLE).toBe("/usage");
    await page.getByRole("heading", { name: "Usage", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "Spend per day by model" }).waitFor();

    const chartTable = page.getByRole("table", { name: /^Spend per day by model, / });
    // One hidden row per day of the range: 30 days up to today, the header row aside.
    await expect.poll(() => chartTable.getByRole("row").count(), SETTLE).toBe(31);
    const rows = await groupRows();
    // A group per model the two agents called, and the total of both calls.
    expect(
      rows
        .slice(1, -1)
        .map((row) => row.split("\t")[0]?.trim())
        .sort(),
    ).toEqual([...models].sort());
    expect(rows.at(-1)).toMatch(/^Total\s+2\b/);
    await expect
      .poll(() => page.getByRole("img", { name: /^Spend per day by model, .*: \$/ }).count(), SETTLE)
      .toBe(1);
    // Both calls were made within the hour: the live figure is the range's spend.
    const spend = await page
      .getByText("Spend", { exact: true })
      .locator("xpath=following-sibling::dd")
      .textContent();
    await expect.poll(() => page.getByTestId("live-hour-cost").textContent(), SETTLE).toBe(spend);
    await expect
      .poll(() => page.getByRole("img", { name: /; limit Team daily at \$5\.00$/ }).count(), SETTLE)
      .toBe(1);
    const limits = page.getByRole("region", { name: "Budget limits" });
    await expect.poll(() => limits.textContent(), SETTLE).toContain(`${spend} of $5.00`);
    expect(await limits.getByRole("progressbar", { name: /^Team daily: / }).count()).toBe(1);
    await screenshot(page, "usage-by-model");
    expect(pageErrors).toEqual([]);
  });

  it("switches to agents: the address, the chart and the table follow", async () => {
    await page.getByRole("button", { name: "Agent", exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("groupBy"), SETTLE).toBe("agent");
    await page.getByRole("heading", { name: "Spend per day by agent" }).waitFor();
    const chartTable = page.getByRole("table", { name: /^Spend per day by agent, / });
    const header = await chartTable.getByRole("row").first().textContent();
    for (const name of agentNames) expect(header).toContain(name);
    await expect
      .poll(async () => (await groupRows()).map((row) => row.split("\t")[0]?.trim()), SETTLE)
      .toEqual(expect.arrayContaining([...agentNames, "Total"]));
    expect(await groupRows()).toHaveLength(4);
  });

  it("switches the range to 7 days: the address and the chart's periods follow", async () => {
    await page.getByRole("button", { name: "7 days" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("days"), SETTLE).toBe("7");
    const chartTable = page.getByRole("table", { name: /^Spend per day by agent, / });
    await expect.poll(() => chartTable.getByRole("row").count(), SETTLE).toBe(8);
    // A reload keeps the view, since it lives in the address.
    await page.reload();
    await expect
      .poll(
        () =>
          page
            .getByRole("table", { name: /^Spend per day by agent, / })
            .getByRole("row")
            .count(),
        SETTLE,
      )
      .toBe(8);
    expect(await page.getByRole("button", { name: "7 days" }).getAttribute("aria-pressed")).toBe("true");
    await screenshot(page, "usage-by-agent-7-days");
    // Nothing is wider than the phone: the page never scrolls sideways (tables scroll inside their frame).
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
  });

  it("downloads the CSV: one row per call made", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^crewdeck-usage-site-.*\.csv$/);
    const file = await download.path();
    const rows = parse(await readFile(file, "utf8"), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(2);
    const costColumn = Object.keys(rows[0] ?? {}).find((k) => /cost/i.test(k));
    expect(costColumn).toBeTruthy();
    expect(rows.map((r) => Number(r[costColumn!])).every((cost) => cost > 0)).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("lists the top task, whose page shows its usage by agent and its own CSV", async () => {
    const top = page.getByRole("region", { name: "Top tasks" });
    await top.getByRole("link", { name: "Checkout button" }).click();
    await expect.poll(() => new URL(page.url()).pathname, SETTLE).toMatch(/^\/tasks\//);
    const section = page.getByRole("region", { name: "Usage" });
    await expect.poll(() => section.getByRole("rowheader").first().textContent(), SETTLE).toBe(agentNames[1]);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      section.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const csv = parse(await readFile(await download.path(), "utf8"), { columns: true });
    expect(csv).toHaveLength(1);
    await screenshot(page, "usage-task-section");
  });

  it("shows a project's usage on its page, split by agent, with its own CSV", async () => {
    await page.goto(`/projects/${projectId}`);
    const section = page.getByRole("region", { name: "Usage" });
    await section.getByRole("table", { name: /spend per day/ }).waitFor({ state: "attached" });
    await section.getByRole("button", { name: "Agent", exact: true }).click();
    const rows = section
      .getByRole("table")
      .filter({ has: page.getByRole("columnheader", { name: "Agent" }) })
      .first();
    await expect
      .poll(async () => (await rows.getByRole("rowheader").allTextContents()).sort(), SETTLE)
      .toEqual([...agentNames, "Total"].sort());
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      section.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^crewdeck-usage-.*\.csv$/);
    const csv = parse(await readFile(await download.path(), "utf8"), { columns: true });
    expect(csv).toHaveLength(2);
    await screenshot(page, "usage-project-section");
    expect(pageErrors).toEqual([]);
  });

  it("tells someone without usage that there is none yet", async () => {
    const newcomer = await registerUser(server, "usagenewcomer");
    const other = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 } });
    try {
      const fresh = await other.newPage();
      await signInFromLogin(fresh, newcomer.username, newcomer.password);
      await fresh.goto("/usage");
      await fresh.getByText("No usage in this range yet").waitFor();
      // Nothing spent yet: nothing to download.
      expect(await fresh.getByRole("button", { name: "Download CSV" }).count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});
