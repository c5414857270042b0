// GET /tasks: who sees what, every filter on its own, paging, and usage totals on the items.
import { schema } from "@crewdeck/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("GET /tasks filters", () => {
  let server: TestServer;
  let me: TestUser;
  let colleague: TestUser;
  let stranger: TestUser;
  let projectId: string;
  let otherProjectId: string;
  let repoIds: { web: string; api: string };
  let agentId: string;
  let issueId: string;
  /** Tasks by name, created in this order: alpha, beta, gamma, delta. */
  const ids: Record<string, string> = {};

  const createTask = async (user: TestUser, body: Record<string, unknown>) => {
    const res = await server.api("POST", "/tasks", { token: user.access_token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.id as string;
  };
  const titles = async (query: string, user: TestUser = me) => {
    const res = await server.api("GET", `/tasks${query}`, { token: user.access_token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((t: { title: string }) => t.title);
  };

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
    me = await registerUser(server);
    colleague = await registerUser(server);
    stranger = await registerUser(server);

    const project = await server.api("POST", "/projects", {
      token: me.access_token,
      body: {
        name: "Shop",
        repositories: [
          { name: "web", full_name: "shop/web", language: "TypeScript" },
          { name: "api", full_name: "shop/api", language: "Go" },
        ],
      },
    });
    projectId = project.body.id;
    const byName = Object.fromEntries(
      project.body.repositories.map((r: { name: string; id: string }) => [r.name, r.id]),
    );
    repoIds = { web: byName.web, api: byName.api };
    const agents = await server.api("GET", `/projects/${projectId}/agents`, { token: me.access_token });
    agentId = agents.body.items[0].id;
    const [issue] = await server.deps.db
      .insert(schema.githubIssues)
      .values({
        projectId,
        repositoryId: repoIds.web,
        number: 7,
        title: "Checkout breaks",
        htmlUrl: "https://github.com/shop/web/issues/7",
      })
      .returning();
    issueId = issue!.id;

    // The colleague owns a second project and lets me in, so I see tasks there that I did not create.
    const other = await server.api("POST", "/projects", {
      token: colleague.access_token,
      body: { name: "Blog" },
    });
    otherProjectId = other.body.id;
    await addMember(server, colleague.access_token, otherProjectId, me, "viewer");

    ids.alpha = await createTask(me, {
      projectId,
      title: "Alpha: reach 100% coverage",
      prompt: "find the needle in the prompt",
      type: "bug",
      priority: "high",
      complexity: "simple",
      repositoryId: repoIds.web,
      assignedToAgentId: agentId,
      issueId,
    });
    ids.beta = await createTask(me, {
      projectId,
      title: "Beta",
      description: "100 small fixes",
      priority: "low",
      complexity: "complex",
      repositoryId: repoIds.api,
    });
    ids.gamma = await createTask(colleague, {
      projectId: otherProjectId,
      title: "Gamma",
      description: "a 50x50 grid",
    });
    ids.delta = await createTask(me, { title: "Delta", description: "split 50_50" });
    await server.api("PATCH", `/tasks/${ids.beta}`, { token: me.access_token, body: { status: "pending" } });

    // Never visible to me: a stranger's project task and a stranger's own task.
    const strangerProject = await server.api("POST", "/projects", {
      token: stranger.access_token,
      body: { name: "Elsewhere" },
    });
    await createTask(stranger, { projectId: strangerProject.body.id, title: "Stranger project task" });
    await createTask(stranger, { title: "Stranger private task" });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("lists my projects' tasks and my own unassigned ones, newest first", async () => {
    expect(await titles("")).toEqual(["Delta", "Gamma", "Beta", "Alpha: reach 100% coverage"]);
    expect(await titles("", stranger)).toEqual(["Stranger private task", "Stranger project task"]);
  });

  it("filters by project id, and by `unassigned` for tasks outside any project", async () => {
    expect(await titles(`?projectId=${projectId}`)).toEqual(["Beta", "Alpha: reach 100% coverage"]);
    expect(await titles(`?projectId=${otherProjectId}`)).toEqual(["Gamma"]);
    expect(await titles("?projectId=unassigned")).toEqual(["Delta"]);
    // Another user's unassigned task is not in their `unassigned`, nor a project they are not in.
    expect(await titles("?projectId=unassigned", colleague)).toEqual([]);
    expect(await titles(`?projectId=${projectId}`, stranger)).toEqual([]);
  });

  it("filters by status, priority, type and complexity", async () => {
    expect(await titles("?status=pending")).toEqual(["Beta"]);
    expect(await titles("?status=backlog")).toEqual(["Delta", "Gamma", "Alpha: reach 100% coverage"]);
    expect(await titles("?priority=high")).toEqual(["Alpha: reach 100% coverage"]);
    expect(await titles("?priority=low")).toEqual(["Beta"]);
    expect(await titles("?type=bug")).toEqual(["Alpha: reach 100% coverage"]);
    expect(await titles("?type=feature")).toEqual(["Delta", "Gamma", "Beta"]);
    expect(await titles("?complexity=complex")).toEqual(["Beta"]);
    expect(await titles("?complexity=moderate")).toEqual(["Delta", "Gamma"]);
  });

  it("filters by assignee: an agent, `mine` (tasks I created) and `unassigned` (no agent)", async () => {
    expect(await titles(`?assignedTo=${agentId}`)).toEqual(["Alpha: reach 100% coverage"]);
    expect(await titles("?assignedTo=mine")).toEqual(["Delta", "Beta", "Alpha: reach 100% coverage"]);
    expect(await titles("?assignedTo=mine", colleague)).toEqual(["Gamma"]);
    expect(await titles("?assignedTo=unassigned")).toEqual(["Delta", "Gamma", "Beta"]);
  });

  it("filters by issue and by repository", async () => {
    expect(await titles(`?issueId=${issueId}`)).toEqual(["Alpha: reach 100% coverage"]);
    expect(await titles(`?repositoryId=${repoIds.web}`)).toEqual(["Alpha: reach 100% coverage"]);
    expect(await titles(`?repositoryId=${repoIds.api}`)).toEqual(["Beta"]);
    // Switching a repository on for a task makes it one the task touches.
    const toggled = await server.api("PATCH", `/tasks/${ids.beta}/repositories/${repoIds.web}`, {
      token: me.access_token,
      body: { isActive: true },
    });
    expect(toggled.status).toBe(200);
    expect(await titles(`?repositoryId=${repoIds.web}`)).toEqual(["Beta", "Alpha: reach 100% coverage"]);
    await server.api("PATCH", `/tasks/${ids.beta}/repositories/${repoIds.web}`, {
      token: me.access_token,
      body: { isActive: false },
    });
    expect(await titles(`?repositoryId=${repoIds.web}`)).toEqual(["Alpha: reach 100% coverage"]);
  });

  it("searches title, description and prompt case-insensitively", async () => {
    expect(await titles("?search=alpha")).toEqual(["Alpha: reach 100% coverage"]);
    expect(await titles("?search=SMALL%20FIXES")).toEqual(["Beta"]);
    expect(await titles("?search=needle")).toEqual(["Alpha: reach 100% coverage"]);
    expect(await titles("?search=nothing-like-this")).toEqual([]);
  });

  it("matches % and _ in the search text literally", async () => {
    // Unescaped, `100%` would also match Beta's "100 small fixes" and `50_50` Gamma's "50x50".
    expect(await titles(`?search=${encodeURIComponent("100%")}`)).toEqual(["Alpha: reach 100% coverage"]);
    expect(await titles("?search=50_50")).toEqual(["Delta"]);
    expect(await titles(`?search=${encodeURIComponent("%")}`)).toEqual(["Alpha: reach 100% coverage"]);
  });

  it("pages", async () => {
    const res = await server.api("GET", "/tasks?page=2&limit=3", { token: me.access_token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, page: 2, pages: 2 });
    expect(res.body.items.map((t: { title: string }) => t.title)).toEqual(["Alpha: reach 100% coverage"]);
    const tooMany = await server.api("GET", "/tasks?limit=101", { token: me.access_token });
    expect(tooMany.status).toBe(400);
  });

  it("refuses unknown filter values", async () => {
    for (const query of ["?status=done", "?priority=critical", "?type=chore", "?complexity=trivial"]) {
      const res = await server.api("GET", `/tasks${query}`, { token: me.access_token });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
  });

  it("sums each item's usage records into tokens and USD", async () => {
    const record = (taskId: string, tokens: [number, number, number], costMicros: number, n: number) => ({
      taskId,
      projectId,
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      providerMessageId: `msg_${taskId}_${n}`,
      inputTokens: tokens[0],
      outputTokens: tokens[1],
      cacheReadTokens: tokens[2],
      costMicros,
      outcome: "success" as const,
    });
    await server.deps.db
      .insert(schema.usageRecords)
      .values([
        record(ids.alpha!, [1000, 200, 300], 45_000, 1),
        record(ids.alpha!, [500, 100, 0], 5_500, 2),
        record(ids.beta!, [10, 20, 0], 1, 1),
      ]);
    const res = await server.api("GET", `/tasks?projectId=${projectId}`, { token: me.access_token });
    const usage = Object.fromEntries(
      res.body.items.map((t: { id: string; usage: unknown }) => [t.id, t.usage]),
    );
    expect(usage[ids.alpha!]).toEqual({ totalTokens: 2100, totalCostUsd: 0.0505 });
    expect(usage[ids.beta!]).toEqual({ totalTokens: 30, totalCostUsd: 0.000001 });
    const unassigned = await server.api("GET", "/tasks?projectId=unassigned", { token: me.access_token });
    expect(unassigned.body.items[0].usage).toEqual({ totalTokens: 0, totalCostUsd: 0 });
    const detail = await server.api("GET", `/tasks/${ids.alpha}`, { token: me.access_token });
    expect(detail.body.usage).toEqual({ totalTokens: 2100, totalCostUsd: 0.0505 });
  });
});
