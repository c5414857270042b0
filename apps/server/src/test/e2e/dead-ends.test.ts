// The dead ends a person hit in the web app (issue 17), each walked in Chromium against the real server on a
// temporary database and the local Anthropic fake, at a laptop's 1366 px.
import type { FakeAnthropic } from "@crewdeck/engine/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
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
  signIn,
  signInFromLogin,
  WEB_DIST_DIR,
} from "./browser";

const SETTLE = { timeout: 15_000 };
const available = await chromiumAvailable();

describe.skipIf(!available)("the web app's dead ends, end to end", () => {
  let fake: FakeAnthropic;
  let server: TestServer;
  let stop: () => Promise<void>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let user: TestUser;
  let project: { id: string; name: string };
  const pageErrors: string[] = [];

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await server.api(method, path, { token: user.access_token, body });
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const mainNav = () => page.getByRole("navigation", { name: "Main" });

  beforeAll(async () => {
    await buildWebApp();
    ({ server, fake, stop } = await startTestServerWithModel({ WEB_DIST_DIR }));
    user = await registerUser(server, "deadends");
    const created = await api("POST", "/projects", { name: "Storefront" });
    project = { id: created.id, name: created.name };
    browser = await launchChromium();
    context = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 768 } });
    page = await openPage(context, pageErrors);
    await signInFromLogin(page, user.username, user.password);
  }, 120_000);
  afterEach(async (test) => {
    if (test.task.result?.state === "fail")
      await screenshot(page, `dead-ends-failed-${test.task.name.slice(0, 40)}`);
  });
  afterAll(async () => {
    await newcomer?.context.close();
    await context?.close();
    await browser?.close();
    await stop?.();
  });

  it("defaults a new task on the Tasks page to the project you came from", async () => {
    await mainNav().getByRole("link", { name: project.name }).click();
    await page.getByRole("heading", { name: project.name, level: 1 }).waitFor();
    await mainNav().getByRole("link", { name: "Tasks" }).click();
    await expect.poll(() => new URL(page.url()).search, SETTLE).toBe("");
    await page.getByRole("button", { name: "New task" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New task" });
    const picker = dialog.getByLabel("Project", { exact: true });
    await expect.poll(() => picker.inputValue(), SETTLE).toBe(project.id);
    await dialog.getByLabel("Title").fill("Gift cards");
    await dialog.getByRole("button", { name: "Create task" }).click();
    await page.getByRole("heading", { name: "Gift cards", level: 1 }).waitFor();
    const taskId = new URL(page.url()).pathname.split("/").pop()!;
    expect((await api("GET", `/tasks/${taskId}`)).projectId).toBe(project.id);
  });

  it("moves a task made outside any project into one", async () => {
    const task = await api("POST", "/tasks", { title: "Orphaned idea" });
    await page.goto(`/tasks/${task.id}`);
    await page.getByRole("heading", { name: "Orphaned idea", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Edit task" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit task" });
    await dialog.getByLabel("Project", { exact: true }).selectOption({ label: project.name });
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(async () => (await api("GET", `/tasks/${task.id}`)).projectId, SETTLE).toBe(project.id);
    expect(pageErrors).toEqual([]);
  });

  it("starts a new chat with the project's crew, and says who answers or why nobody will", async () => {
    await page.goto(`/chats?projectId=${project.id}`);
    await page.getByRole("button", { name: "New chat" }).click();
    const dialog = page.getByRole("dialog", { name: "New chat" });
    const crew = dialog.getByRole("group", { name: "Agents" }).getByRole("checkbox");
    await expect.poll(() => crew.count(), SETTLE).toBe(6);
    await expect
      .poll(
        async () =>
          (
            await crew.evaluateAll((boxes) =>
              boxes.map((b) => (b as unknown as { checked: boolean }).checked),
            )
          ).every(Boolean),
        SETTLE,
      )
      .toBe(true);
    // Nobody kept: the chat must say so, not wait in silence.
    for (const box of await crew.all()) await box.uncheck();
    await dialog.getByText("Nobody will answer in this chat").waitFor();
    await dialog.getByLabel("Title").fill("Quiet room");
    await dialog.getByRole("button", { name: "Start chat" }).click();
    await page.getByRole("heading", { name: "Quiet room", level: 1 }).waitFor();
    await page.getByRole("textbox", { name: "Message" }).fill("Anyone?");
    await page.getByRole("button", { name: "Send" }).click();
    await page
      .getByRole("status")
      .getByText("No agents are in this conversation: add one so someone can answer.")
      .waitFor();

    await page.getByRole("button", { name: "Agents", exact: true }).click();
    const agents = page.getByRole("dialog", { name: "Agents in this chat" });
    await agents.getByRole("checkbox", { name: "Architect" }).check();
    await page.keyboard.press("Escape");
    await page.getByRole("list", { name: "Agents in this chat" }).getByText("Architect").waitFor();
    // The old "nobody will answer" is gone with the reason for it.
    await expect.poll(() => page.getByText("No agents are in this conversation").count(), SETTLE).toBe(0);

    fake.enqueue({ text: "The architect is here." });
    await page.getByRole("textbox", { name: "Message" }).fill("Now?");
    await page.getByRole("button", { name: "Send" }).click();
    await page
      .getByRole("article", { name: "Message from Architect" })
      .getByText("The architect is here.")
      .waitFor();

    await page.getByRole("button", { name: "Agents", exact: true }).click();
    await agents.getByRole("checkbox", { name: "Architect" }).uncheck();
    await page.keyboard.press("Escape");
    await page.getByText("No agents in this chat: nobody answers here.").waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("stops a reply, regenerates it, copies it, and puts a message back in the box to edit and resend", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const crew = (await api("GET", `/projects/${project.id}/agents`)).items as Array<{
      id: string;
      role: string;
    }>;
    const architect = crew.find((a) => a.role === "architect")!;
    const chat = await api("POST", "/conversations", {
      title: "Controls",
      projectId: project.id,
      agentIds: [architect.id],
    });
    await page.goto(`/chats/${chat.id}`);
    await page.getByRole("heading", { name: "Controls", level: 1 }).waitFor();

    const gate = fake.hold();
    fake.enqueue({ text: ["Let me ramble ", "on and on forever."] });
    await page.getByRole("textbox", { name: "Message" }).fill("Explain the cache");
    await page.getByRole("button", { name: "Send" }).click();
    await gate.reached;
    // The stop must reach the server before the held stream goes on.
    const stopped = page.waitForResponse((r) => r.url().includes("conversations.stop"));
    await page.getByRole("button", { name: "Stop", exact: true }).click();
    expect((await stopped).ok()).toBe(true);
    gate.release();
    const reply = page.getByRole("article", { name: "Message from Architect" });
    await reply.getByText("This reply was stopped.").waitFor();
    await expect.poll(() => reply.textContent(), SETTLE).not.toContain("forever");
    await expect.poll(() => page.getByRole("button", { name: "Stop", exact: true }).count(), SETTLE).toBe(0);

    // A second tab on the same chat sees the regenerated reply replace the old one, without a reload.
    const other = await context.newPage();
    other.on("pageerror", (error) => pageErrors.push(error.message));
    await other.goto(`/chats/${chat.id}`);
    await other.getByText("Let me ramble").waitFor();
    fake.enqueue({ text: "The cache keeps the last 100 answers." });
    await page.getByRole("button", { name: "Regenerate Architect's reply" }).click();
    await reply.getByText("The cache keeps the last 100 answers.").waitFor();
    await expect.poll(() => reply.count(), SETTLE).toBe(1);
    await expect.poll(() => page.getByText("Let me ramble").count(), SETTLE).toBe(0);
    const otherReply = other.getByRole("article", { name: "Message from Architect" });
    await otherReply.getByText("The cache keeps the last 100 answers.").waitFor();
    await expect.poll(() => other.getByText("Let me ramble").count(), SETTLE).toBe(0);
    await expect.poll(() => otherReply.count(), SETTLE).toBe(1);
    await other.close();

    await page.getByRole("button", { name: "Copy Architect's message" }).click();
    await expect
      .poll(() => page.evaluate<string>("navigator.clipboard.readText()"), SETTLE)
      .toBe("The cache keeps the last 100 answers.");

    await page.getByRole("button", { name: "Edit and post again" }).click();
    await expect
      .poll(() => page.getByRole("textbox", { name: "Message" }).inputValue())
      .toBe("Explain the cache");
    expect(pageErrors).toEqual([]);
  });

  it("fits the board's eight columns at 1366 px and moves cards by dragging, as the server allows", async () => {
    const board = await api("POST", "/projects", { name: "Board" });
    const make = (title: string) => api("POST", "/tasks", { title, projectId: board.id });
    const first = await make("Drag me along");
    const second = await make("Drag me too far");
    await page.goto(`/tasks?projectId=${board.id}`);
    await page.getByRole("link", { name: "Drag me along" }).waitFor();

    // Every column's heading is on screen, and the board does not scroll sideways.
    for (const name of ["Backlog", "Review", "Completed", "Failed", "Cancelled"]) {
      const box = await page.getByRole("heading", { name, level: 2 }).boundingBox();
      expect(box, name).not.toBeNull();
      expect(box!.x + box!.width, name).toBeLessThanOrEqual(1366);
    }
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(1366);

    const drag = async (title: string, column: string) => {
      const handle = page.getByRole("button", { name: `Move ${title}` });
      const from = (await handle.boundingBox())!;
      const to = (await page.getByRole("heading", { name: column, level: 2 }).boundingBox())!;
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x + 20, from.y + 20, { steps: 5 });
      await page.mouse.move(to.x + to.width / 2, to.y + 40, { steps: 10 });
      await page.mouse.up();
    };

    await drag("Drag me along", "Pending");
    await expect.poll(async () => (await api("GET", `/tasks/${first.id}`)).status, SETTLE).toBe("pending");

    await drag("Drag me too far", "Completed");
    await page
      .getByRole("alert")
      .getByText(
        "A task cannot move from Backlog to Completed. From Backlog it may move to Pending, Cancelled.",
      )
      .waitFor();
    expect((await api("GET", `/tasks/${second.id}`)).status).toBe("backlog");
    await screenshot(page, "dead-ends-board-1366");
    expect(pageErrors).toEqual([]);
  });

  it("removes an agent from the crew, adds one, and adds a crew template", async () => {
    const crewed = await api("POST", "/projects", { name: "Crewed" });
    const roles = async () =>
      (
        (await api("GET", `/projects/${crewed.id}/agents`)).items as Array<{ role: string; name: string }>
      ).map((a) => `${a.role}:${a.name}`);
    await page.goto(`/projects/${crewed.id}`);
    await page.getByRole("heading", { name: "Crewed", level: 1 }).waitFor();

    await page.getByRole("button", { name: "Remove QA Engineer", exact: true }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Remove agent" }).click();
    await expect
      .poll(async () => (await roles()).some((r) => r.startsWith("qa-engineer")), SETTLE)
      .toBe(false);

    await page.getByLabel("Crew template").selectOption({ label: "Build and review" });
    await page.getByText("Adds Architect, Senior Developer,", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Add template" }).click();
    await expect.poll(async () => (await roles()).length, SETTLE).toBe(8);
    expect((await roles()).slice(-3).map((r) => r.split(":")[0])).toEqual([
      "architect",
      "senior-developer",
      "reviewer",
    ]);

    await page.getByRole("button", { name: "Add agent" }).click();
    const dialog = page.getByRole("dialog", { name: "Add an agent" });
    await dialog.getByLabel("Role").selectOption({ label: "QA engineer" });
    await dialog.getByLabel("Name").fill("Quinn");
    await dialog.getByRole("button", { name: "Add agent" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(async () => (await roles()).at(-1), SETTLE).toBe("qa-engineer:Quinn");
    await page.getByText("Quinn", { exact: true }).first().waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("titles each tab by its page, and finds tasks, chats and messages from the Ctrl+K palette", async () => {
    const task = await api("POST", "/tasks", { title: "Quokka migration", projectId: project.id });
    const chat = await api("POST", "/conversations", { title: "Marsupials", projectId: project.id });
    await api("POST", `/conversations/${chat.id}/messages`, { content: "The quokka smiles at everyone." });

    await page.goto("/tasks");
    await expect.poll(() => page.title(), SETTLE).toBe("Tasks · Crewdeck");
    await page.goto(`/tasks/${task.id}`);
    await expect.poll(() => page.title(), SETTLE).toBe("Quokka migration · Crewdeck");
    await page.goto(`/chats/${chat.id}`);
    await expect.poll(() => page.title(), SETTLE).toBe("Marsupials · Crewdeck");

    await page.keyboard.press("Control+K");
    const palette = page.getByRole("dialog", { name: "Search and go to" });
    await palette.getByRole("combobox", { name: "Search" }).fill("quokka");
    const options = palette.getByRole("option");
    await palette.getByRole("option", { name: "Quokka migration" }).waitFor();
    await palette.getByRole("option", { name: /The quokka smiles at everyone/ }).waitFor();
    expect(await options.count()).toBeGreaterThanOrEqual(2);
    await palette.getByRole("option", { name: "Quokka migration" }).click();
    await expect.poll(() => new URL(page.url()).pathname, SETTLE).toBe(`/tasks/${task.id}`);

    // By keyboard alone: open, type a section's name, Enter.
    await page.keyboard.press("Control+K");
    await page.keyboard.type("Budg");
    await palette.getByRole("option", { name: "Budgets" }).waitFor();
    await page.keyboard.press("Enter");
    await expect.poll(() => new URL(page.url()).pathname, SETTLE).toBe("/budgets");
    await expect.poll(() => page.title(), SETTLE).toBe("Budgets · Crewdeck");
    expect(pageErrors).toEqual([]);
  });

  it("says what blocks a start, what a cancel keeps, why a viewer cannot write, and sets keys in the admin form", async () => {
    // The admin page asks for the key in its form, not in the server's environment.
    await page.goto("/admin");
    const openai = page.getByText("Not configured yet: paste an API key below", { exact: false });
    await openai.waitFor();
    expect(await page.getByText("OPENAI_API_KEY").count()).toBe(0);

    // An emergency stop disables "Start task", saying why.
    const task = await api("POST", "/tasks", { title: "Blocked by the stop", projectId: project.id });
    await api("POST", "/emergency/pause-all", { projectId: project.id, reason: "Cost check" });
    await page.goto(`/tasks/${task.id}`);
    await page
      .getByText("An emergency stop is in force for this project (Cost check)", { exact: false })
      .waitFor();
    expect(await page.getByRole("button", { name: "Start task" }).isDisabled()).toBe(true);
    await api("POST", "/emergency/resume-all", { projectId: project.id });
    await page.reload();
    await expect
      .poll(() => page.getByRole("button", { name: "Start task" }).isDisabled(), SETTLE)
      .toBe(false);

    // The cancel dialog's buttons say what each does.
    const gate = fake.hold();
    fake.enqueue({ text: ["Planning ", "the work."] });
    await page.getByRole("button", { name: "Start task" }).click();
    await page.getByRole("dialog", { name: "Start task" }).getByRole("button", { name: "Start run" }).click();
    await gate.reached;
    // Nobody is assigned, but the crew is at work: the header says who, not "Nobody".
    await page.getByText(/The crew: Product Manager \(working now\), /).waitFor();
    await page.getByRole("button", { name: "Cancel run" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Cancel the run?" });
    await confirm.getByRole("button", { name: "Keep running" }).waitFor();
    await confirm.getByRole("button", { name: "Cancel run" }).click();
    gate.release();
    await confirm.waitFor({ state: "hidden" });

    // A viewer reads a chat with the message box disabled, told why.
    const viewer = await registerUser(server, "deadviewer");
    await addMember(server, user.access_token, project.id, viewer, "viewer");
    const chat = await api("POST", "/conversations", { title: "Read only", projectId: project.id });
    const other = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 768 } });
    try {
      const viewerPage = await other.newPage();
      await signInFromLogin(viewerPage, viewer.username, viewer.password);
      await viewerPage.goto(`/chats/${chat.id}`);
      await viewerPage
        .getByText("You are a viewer in this project: you can read this chat but not write in it.")
        .waitFor();
      expect(await viewerPage.getByRole("textbox", { name: "Message" }).isDisabled()).toBe(true);
    } finally {
      await other.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it("switches to dark mode from the account menu, and keeps it across a reload", async () => {
    await page.goto("/");
    const background = () => page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    const light = await background();
    await page.getByRole("button", { name: "Account", exact: true }).click();
    await page.getByRole("menuitemradio", { name: "Dark" }).click();
    await expect
      .poll(() => page.evaluate<string | undefined>("document.documentElement.dataset.theme"), SETTLE)
      .toBe("dark");
    await expect.poll(background, SETTLE).toBe("rgb(15, 18, 22)");
    await page.reload();
    await page.getByRole("button", { name: "Account", exact: true }).waitFor();
    expect(await background()).toBe("rgb(15, 18, 22)");
    await page.getByRole("button", { name: "Account", exact: true }).click();
    await page.getByRole("menuitemradio", { name: "Same as the system" }).click();
    await expect.poll(background, SETTLE).toBe(light);
    expect(pageErrors).toEqual([]);
  });

  it("lets an owner stop and resume one project's agents from its page", async () => {
    const other = await api("POST", "/projects", { name: "Unaffected" });
    await page.goto(`/projects/${project.id}`);
    await page.getByRole("heading", { name: project.name, level: 1 }).waitFor();
    await page.getByRole("button", { name: `Emergency stop for ${project.name}` }).click();
    const confirm = page.getByRole("alertdialog", { name: `Stop ${project.name}'s agents now?` });
    await confirm.getByRole("button", { name: "Keep working" }).waitFor();
    await confirm.getByRole("button", { name: "Stop this project" }).click();
    await page.getByRole("button", { name: "Resume agents" }).waitFor();
    const stops = async () =>
      ((await api("GET", "/emergency/status")).stops as Array<{ projectId: string | null }>).map(
        (s) => s.projectId,
      );
    expect(await stops()).toEqual([project.id]);
    expect(await stops()).not.toContain(other.id);

    await page.getByRole("button", { name: "Resume agents" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Resume agents" }).click();
    await expect.poll(stops, SETTLE).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("shows a failed sign-in once, not also as a toast, and caps a new project's name", async () => {
    const other = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 768 } });
    try {
      const fresh = await other.newPage();
      await fresh.goto("/login");
      await signIn(fresh, user.username, "not the password");
      const said = fresh.getByRole("alert");
      await said.first().waitFor();
      const text = (await said.first().textContent()) ?? "";
      expect(text.length).toBeGreaterThan(0);
      await fresh.waitForTimeout(300);
      expect(await fresh.locator("[data-sonner-toast]").count()).toBe(0);
    } finally {
      await other.close();
    }

    await page.goto("/");
    await page.getByRole("button", { name: "New project" }).first().click();
    const dialog = page.getByRole("dialog", { name: "New project" });
    expect(await dialog.getByLabel("Name", { exact: true }).getAttribute("maxlength")).toBe("100");
    await page.keyboard.press("Escape");
  });

  /**
   * A newcomer of their own, signed in in a browser context of their own: an empty account, and a password
   * change that ends every other session (the shared user's API token would go with it).
   */
  let newcomer: { page: Page; context: BrowserContext; account: TestUser };
  it("walks a newcomer from an empty account to a first project and chat, each empty page offering the next step", async () => {
    const account = await registerUser(server, "newcomer");
    const newContext = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1366, height: 768 },
    });
    newcomer = { page: await openPage(newContext, pageErrors), context: newContext, account };
    const own = newcomer.page;
    await signInFromLogin(own, account.username, account.password);
    const main = own.getByRole("main");

    // With no project yet, a task would never start and a chat would never be answered: both lists say so
    // and offer the project instead.
    await own.goto("/tasks");
    await main.getByText("Tasks are done by a project's crew of agents", { exact: false }).waitFor();
    await main.getByRole("button", { name: "New project" }).click();
    await own.getByRole("dialog", { name: "New project" }).waitFor();
    await own.keyboard.press("Escape");
    await own.goto("/chats");
    await main.getByText("Agents answer in their project's chats", { exact: false }).waitFor();
    await main.getByRole("button", { name: "New project" }).click();
    const create = own.getByRole("dialog", { name: "New project" });
    await create.getByLabel("Name", { exact: true }).fill("First steps");
    await create.getByRole("button", { name: "Create project" }).click();
    await own.getByRole("heading", { name: "First steps", level: 1 }).waitFor();
    const projectId = new URL(own.url()).pathname.split("/")[2];

    // No repository yet: Issues says where to link one.
    await own.getByRole("link", { name: "Issues", exact: true }).click();
    await main.getByRole("link", { name: "Link a repository" }).click();
    await expect.poll(() => new URL(own.url()).pathname, SETTLE).toBe(`/projects/${projectId}/settings`);

    // The project's first chat starts from the project, with the project's crew.
    await own.goto(`/projects/${projectId}`);
    await main.getByRole("button", { name: "New chat" }).click();
    let dialog = own.getByRole("dialog", { name: "New chat" });
    await expect
      .poll(() => dialog.getByLabel("Project", { exact: true }).inputValue(), SETTLE)
      .toBe(projectId);
    await expect
      .poll(() => dialog.getByRole("group", { name: "Agents" }).getByRole("checkbox").count(), SETTLE)
      .toBe(6);
    await own.keyboard.press("Escape");
    // So does one from the Chats page, reached from the menu: the project they came from, not No project.
    await own
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Chats", exact: true })
      .click();
    await own.getByRole("heading", { name: "Chats", level: 1 }).waitFor();
    await own.getByRole("button", { name: "New chat" }).click();
    dialog = own.getByRole("dialog", { name: "New chat" });
    await expect
      .poll(() => dialog.getByLabel("Project", { exact: true }).inputValue(), SETTLE)
      .toBe(projectId);
    await own.keyboard.press("Escape");

    // Nothing spent yet: Usage leads to the first chat.
    await own
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Usage", exact: true })
      .click();
    await main.getByRole("link", { name: "Start a chat" }).click();
    await own.getByRole("heading", { name: "Chats", level: 1 }).waitFor();

    // This server has no GitHub OAuth app: Settings says whom to ask instead of a Connect button that fails.
    await own.goto("/settings?tab=github");
    await main.getByText("GitHub is not set up on this server yet", { exact: false }).waitFor();
    expect(await main.getByRole("button", { name: "Connect GitHub" }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("changes the password in Settings, which ends the other sessions; only the new one signs in after", async () => {
    const { page: own, account } = newcomer;
    const newPassword = "a longer passphrase of mine";
    await own
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Settings", exact: true })
      .click();
    await own.getByRole("tab", { name: "Security" }).click();
    const section = own.getByRole("region", { name: "Change password" });

    // The wrong current password is refused in words, under its field.
    await section.getByLabel("Current password").fill("not my password");
    await section.getByLabel("New password", { exact: true }).fill(newPassword);
    await section.getByLabel("New password again").fill(newPassword);
    await section.getByRole("button", { name: "Change password" }).click();
    await section.getByRole("alert").getByText("Wrong password").waitFor();

    await section.getByLabel("Current password").fill(account.password);
    await section.getByRole("button", { name: "Change password" }).click();
    await section.getByRole("status").getByText("1 other session was signed out", { exact: false }).waitFor();
    expect(await section.getByLabel("Current password").inputValue()).toBe("");
    // The session registration opened is the one that ended.
    expect((await server.api("GET", "/auth/me", { token: account.access_token })).status).toBe(401);

    await own.getByRole("button", { name: "Account", exact: true }).click();
    await own.getByRole("menuitem", { name: "Sign out", exact: true }).click();
    await signIn(own, account.username, account.password);
    await own.getByRole("alert").first().waitFor();
    expect(own.url()).toContain("/login");
    await signIn(own, account.username, newPassword);
    await own.getByRole("button", { name: "Account", exact: true }).waitFor();
    expect(own.url()).not.toContain("/login");
    expect(pageErrors).toEqual([]);
  });
});
