import { schema } from "@crewdeck/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, apiAs, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("tasks", () => {
  let server: TestServer;
  let owner: TestUser;
  let maintainer: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  let projectId: string;
  let repoIds: { web: string; api: string };
  let agent: { id: string; name: string; role: string };
  /** A second project the owner also runs, for references that cross projects. */
  let otherProject: { id: string; repoId: string; agentId: string; issueId: string };

  const api = apiAs(() => server);
  const newTask = async (user: TestUser, body: Record<string, unknown>) => {
    const res = await api(user, "POST", "/tasks", body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const insertIssue = async (project: string, repositoryId: string, number: number) => {
    const [issue] = await server.deps.db
      .insert(schema.githubIssues)
      .values({
        projectId: project,
        repositoryId,
        number,
        title: `Issue ${number}`,
        htmlUrl: `https://x/${number}`,
      })
      .returning();
    return issue!;
  };
  const createProject = async (name: string, repos: string[]) => {
    const res = await api(owner, "POST", "/projects", {
      name,
      repositories: repos.map((r) => ({ name: r, full_name: `${name.toLowerCase()}/${r}`, language: "Go" })),
    });
    expect(res.status).toBe(200);
    const agents = await api(owner, "GET", `/projects/${res.body.id}/agents`);
    return {
      id: res.body.id as string,
      repos: Object.fromEntries(
        res.body.repositories.map((r: { name: string; id: string }) => [r.name, r.id]),
      ),
      agents: agents.body.items as Array<{ id: string; name: string; role: string }>,
    };
  };

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
    [owner, maintainer, viewer, outsider] = await Promise.all([
      registerUser(server),
      registerUser(server),
      registerUser(server),
      registerUser(server),
    ]);
    const main = await createProject("Shop", ["web", "api"]);
    projectId = main.id;
    repoIds = { web: main.repos.web!, api: main.repos.api! };
    agent = main.agents[2]!;
    for (const [user, role] of [
      [maintainer, "maintainer"],
      [viewer, "viewer"],
    ] as const) {
      const res = await addMember(server, owner.access_token, projectId, user, role);
      expect(res.status).toBe(200);
    }
    const other = await createProject("Blog", ["site"]);
    const issue = await insertIssue(other.id, other.repos.site!, 1);
    otherProject = {
      id: other.id,
      repoId: other.repos.site!,
      agentId: other.agents[0]!.id,
      issueId: issue.id,
    };
  });
  afterAll(async () => {
    await server.stop();
  });

  describe("POST /tasks", () => {
    it("creates a project task with the defaults, its own conversation and all repositories active", async () => {
      const task = await newTask(maintainer, { projectId, title: "Add search" });
      expect(task).toMatchObject({
        projectId,
        createdById: maintainer.user.id,
        title: "Add search",
        status: "backlog",
        type: "feature",
        priority: "medium",
        complexity: "moderate",
        assignedToAgentId: null,
        assignedAgent: null,
        issue: null,
        pullRequest: null,
        result: null,
        completedAt: null,
        progress: { completed: 0, total: 0, percentage: 0 },
        usage: { totalTokens: 0, totalCostUsd: 0 },
      });
      expect(task.repositories).toEqual([
        { id: repoIds.web, name: "web", fullName: "shop/web", isActive: true },
        { id: repoIds.api, name: "api", fullName: "shop/api", isActive: true },
      ]);
      const conversation = await server.deps.db.query.conversations.findFirst({
        where: (c, { eq }) => eq(c.id, task.conversationId),
      });
      expect(conversation).toMatchObject({
        type: "task",
        taskId: task.id,
        projectId,
        title: "Add search",
        createdById: maintainer.user.id,
      });
    });

    it("takes every field of the body, narrowing the repositories to the one named", async () => {
      const issue = await insertIssue(projectId, repoIds.api, 42);
      const task = await newTask(owner, {
        projectId,
        title: "Fix login",
        description: "It loops",
        prompt: "Find the redirect loop",
        repositoryId: repoIds.api,
        branch: "fix/login",
        targetBranch: "develop",
        type: "bug",
        priority: "urgent",
        complexity: "expert",
        issueId: issue.id,
        assignedToAgentId: agent.id,
        definitionOfDone: "Users can log in",
      });
      expect(task).toMatchObject({
        description: "It loops",
        prompt: "Find the redirect loop",
        repositoryId: repoIds.api,
        branch: "fix/login",
        targetBranch: "develop",
        type: "bug",
        priority: "urgent",
        complexity: "expert",
        issueId: issue.id,
        definitionOfDone: "Users can log in",
        assignedAgent: { id: agent.id, name: agent.name, role: agent.role },
        issue: { id: issue.id, number: 42, title: "Issue 42", state: "open", htmlUrl: "https://x/42" },
      });
      const active = Object.fromEntries(
        task.repositories.map((r: { id: string; isActive: boolean }) => [r.id, r.isActive]),
      );
      expect(active).toEqual({ [repoIds.web]: false, [repoIds.api]: true });
    });

    it("creates an unassigned task that only its creator sees", async () => {
      const task = await newTask(outsider, { title: "Quick question about OAuth" });
      expect(task).toMatchObject({ projectId: null, status: "backlog", repositories: [] });
      const conversation = await server.deps.db.query.conversations.findFirst({
        where: (c, { eq }) => eq(c.id, task.conversationId),
      });
      expect(conversation).toMatchObject({ projectId: null, taskId: task.id, type: "task" });
      expect((await api(outsider, "GET", `/tasks/${task.id}`)).status).toBe(200);
      expect((await api(owner, "GET", `/tasks/${task.id}`)).status).toBe(404);
    });

    it("refuses references that are not of the task's project, naming each field", async () => {
      const res = await api(owner, "POST", "/tasks", {
        projectId,
        title: "Crossed wires",
        repositoryId: otherProject.repoId,
        assignedToAgentId: otherProject.agentId,
        issueId: otherProject.issueId,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        "assignedToAgentId",
        "issueId",
        "repositoryId",
      ]);
      const one = await api(owner, "POST", "/tasks", { projectId, title: "x", repositoryId: "nope" });
      expect(one.status).toBe(400);
      expect(one.body.error.details).toEqual([{ field: "repositoryId", message: expect.any(String) }]);
    });

    it("refuses repository, agent and issue on a task outside any project", async () => {
      for (const [field, id] of [
        ["repositoryId", repoIds.web],
        ["assignedToAgentId", agent.id],
        ["issueId", otherProject.issueId],
      ] as const) {
        const res = await api(owner, "POST", "/tasks", { title: "Loose", [field]: id });
        expect(res.status, field).toBe(400);
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([field]);
      }
      const none = await api(owner, "GET", "/tasks?projectId=unassigned");
      expect(none.body.items.map((t: { title: string }) => t.title)).not.toContain("Loose");
    });

    it("refuses a missing title and unknown enum values", async () => {
      const res = await api(owner, "POST", "/tasks", { projectId, title: " ", priority: "critical" });
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        "priority",
        "title",
      ]);
    });
  });

  describe("GET /tasks/{taskId}", () => {
    it("shows the latest pull request, the latest run's progress and the result", async () => {
      const task = await newTask(owner, { projectId, title: "Ship it" });
      const db = server.deps.db;
      const pr = (number: number, createdAt: Date) => ({
        projectId,
        repositoryId: repoIds.web,
        taskId: task.id,
        number,
        title: `PR ${number}`,
        headBranch: `task/${number}`,
        baseBranch: "main",
        htmlUrl: `https://github.com/shop/web/pull/${number}`,
        createdAt,
      });
      await db.insert(schema.pullRequests).values([pr(1, new Date(Date.now() - 60_000)), pr(2, new Date())]);
      const [oldRun] = await db
        .insert(schema.runs)
        .values({
          taskId: task.id,
          projectId,
          status: "failed",
          pipeline: [],
          totalSteps: 2,
          createdAt: new Date(Date.now() - 60_000),
        })
        .returning();
      await db.insert(schema.runSteps).values([
        { runId: oldRun!.id, stepIndex: 0, role: "architect", status: "completed" },
        { runId: oldRun!.id, stepIndex: 1, role: "reviewer", status: "completed" },
      ]);
      const [run] = await db
        .insert(schema.runs)
        .values({ taskId: task.id, projectId, status: "completed", pipeline: [], totalSteps: 4 })
        .returning();
      await db.insert(schema.runSteps).values([
        { runId: run!.id, stepIndex: 0, role: "architect", status: "completed" },
        { runId: run!.id, stepIndex: 1, role: "senior-developer", status: "skipped" },
        { runId: run!.id, stepIndex: 2, role: "qa-engineer", status: "running" },
        { runId: run!.id, stepIndex: 3, role: "reviewer", status: "pending" },
      ]);
      await db.$client.execute({
        sql: "update tasks set result = ? where id = ?",
        args: [
          JSON.stringify({ type: "pull_request", pullRequestUrl: "https://github.com/shop/web/pull/2" }),
          task.id,
        ],
      });

      const res = await api(viewer, "GET", `/tasks/${task.id}`);
      expect(res.status).toBe(200);
      expect(res.body.pullRequest).toMatchObject({ number: 2, state: "open", headBranch: "task/2" });
      expect(res.body.progress).toEqual({ completed: 2, total: 4, percentage: 50 });
      expect(res.body.result).toEqual({
        type: "pull_request",
        pullRequestUrl: "https://github.com/shop/web/pull/2",
      });
    });

    it("is 404 for a task that does not exist", async () => {
      const res = await api(owner, "GET", "/tasks/00000000-0000-7000-8000-000000000000");
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
    });
  });

  describe("PATCH /tasks/{taskId}", () => {
    it("edits fields and clears nullable ones with null", async () => {
      const task = await newTask(owner, { projectId, title: "Draft", description: "old", branch: "b1" });
      const edits = {
        title: "Final",
        description: null,
        prompt: "Do it well",
        type: "enhancement",
        priority: "high",
        complexity: "simple",
        branch: null,
        targetBranch: "release",
        definitionOfDone: "Green CI",
        repositoryId: repoIds.web,
      };
      const res = await api(maintainer, "PATCH", `/tasks/${task.id}`, edits);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject(edits);
      const bad = await api(maintainer, "PATCH", `/tasks/${task.id}`, { repositoryId: otherProject.repoId });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].field).toBe("repositoryId");
    });

    it("makes a newly chosen main repository one the task may touch", async () => {
      const task = await newTask(owner, { projectId, title: "Narrow", repositoryId: repoIds.web });
      const res = await api(owner, "PATCH", `/tasks/${task.id}`, { repositoryId: repoIds.api });
      expect(res.status).toBe(200);
      expect(res.body.repositories.find((r: { id: string }) => r.id === repoIds.api).isActive).toBe(true);
    });

    it("walks the forward chain, steps back after a rejected review, and stamps completion", async () => {
      const task = await newTask(owner, { projectId, title: "Flow" });
      const move = (status: string) => api(maintainer, "PATCH", `/tasks/${task.id}`, { status });
      for (const status of [
        "pending",
        "in_progress",
        "testing",
        "review",
        "in_progress",
        "testing",
        "review",
      ]) {
        const res = await move(status);
        expect(res.status, status).toBe(200);
        expect(res.body.status).toBe(status);
        expect(res.body.completedAt).toBeNull();
      }
      const done = await move("completed");
      expect(done.body.status).toBe("completed");
      expect(Date.parse(done.body.completedAt)).toBeGreaterThan(Date.now() - 60_000);
      const reopened = await move("backlog");
      expect(reopened.body).toMatchObject({ status: "backlog", completedAt: null });
    });

    it("retries failed and cancelled tasks from backlog or pending", async () => {
      const task = await newTask(owner, { projectId, title: "Retry" });
      const move = (status: string) => api(owner, "PATCH", `/tasks/${task.id}`, { status });
      for (const status of ["pending", "failed", "pending", "cancelled", "backlog", "cancelled", "pending"]) {
        const res = await move(status);
        expect(res.status, status).toBe(200);
      }
    });

    it("refuses a forbidden transition with 409 and the allowed moves", async () => {
      const task = await newTask(owner, { projectId, title: "Strict" });
      const res = await api(owner, "PATCH", `/tasks/${task.id}`, { status: "completed", title: "Sneaky" });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({
        code: "CONFLICT",
        details: { from: "backlog", to: "completed", allowed: ["pending", "cancelled"] },
      });
      // Nothing of the refused request was written.
      expect((await api(owner, "GET", `/tasks/${task.id}`)).body).toMatchObject({
        title: "Strict",
        status: "backlog",
      });
      for (const to of ["failed", "in_progress", "review"]) {
        const refused = await api(owner, "PATCH", `/tasks/${task.id}`, { status: to });
        expect(refused.status, `backlog → ${to}`).toBe(409);
      }
      await api(owner, "POST", `/tasks/${task.id}/complete`);
      const fromCompleted = await api(owner, "PATCH", `/tasks/${task.id}`, { status: "pending" });
      expect(fromCompleted.status).toBe(409);
      expect(fromCompleted.body.error.details).toEqual({
        from: "completed",
        to: "pending",
        allowed: ["backlog"],
      });
    });
  });

  describe("assign and complete", () => {
    it("assigns an agent of the project, refuses others, and unassigns with null", async () => {
      const task = await newTask(owner, { projectId, title: "Assign me" });
      const assigned = await api(maintainer, "POST", `/tasks/${task.id}/assign`, { agentId: agent.id });
      expect(assigned.status).toBe(200);
      expect(assigned.body).toMatchObject({
        assignedToAgentId: agent.id,
        assignedAgent: { id: agent.id, name: agent.name, role: agent.role },
      });
      const foreign = await api(maintainer, "POST", `/tasks/${task.id}/assign`, {
        agentId: otherProject.agentId,
      });
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.details).toEqual([{ field: "agentId", message: expect.any(String) }]);
      const cleared = await api(maintainer, "POST", `/tasks/${task.id}/assign`, { agentId: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ assignedToAgentId: null, assignedAgent: null });
      const missing = await api(maintainer, "POST", `/tasks/${task.id}/assign`, {});
      expect(missing.status).toBe(400);
    });

    it("refuses an agent for a task outside any project", async () => {
      const task = await newTask(owner, { title: "Solo" });
      const res = await api(owner, "POST", `/tasks/${task.id}/assign`, { agentId: agent.id });
      expect(res.status).toBe(400);
    });

    it("completes from any open status, even failed, but not twice or once cancelled", async () => {
      const task = await newTask(owner, { projectId, title: "Finish" });
      await api(owner, "PATCH", `/tasks/${task.id}`, { status: "pending" });
      await api(owner, "PATCH", `/tasks/${task.id}`, { status: "failed" });
      const done = await api(maintainer, "POST", `/tasks/${task.id}/complete`);
      expect(done.status).toBe(200);
      expect(done.body.status).toBe("completed");
      expect(done.body.completedAt).not.toBeNull();
      const again = await api(maintainer, "POST", `/tasks/${task.id}/complete`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("CONFLICT");

      const dropped = await newTask(owner, { projectId, title: "Dropped" });
      await api(owner, "PATCH", `/tasks/${dropped.id}`, { status: "cancelled" });
      const refused = await api(owner, "POST", `/tasks/${dropped.id}/complete`, {});
      expect(refused.status).toBe(409);
      expect((await api(owner, "GET", `/tasks/${dropped.id}`)).body.status).toBe("cancelled");
    });
  });

  describe("PATCH /tasks/{taskId}/repositories/{repositoryId}", () => {
    it("switches repositories on and off for the task", async () => {
      const task = await newTask(owner, { projectId, title: "Toggle", repositoryId: repoIds.web });
      const path = (repo: string) => `/tasks/${task.id}/repositories/${repo}`;
      const on = await api(maintainer, "PATCH", path(repoIds.api), { isActive: true });
      expect(on.status).toBe(200);
      expect(on.body.repositories.map((r: { isActive: boolean }) => r.isActive)).toEqual([true, true]);
      const off = await api(maintainer, "PATCH", path(repoIds.web), { isActive: false });
      expect(off.body.repositories.map((r: { isActive: boolean }) => r.isActive)).toEqual([false, true]);
      const rows = await server.deps.db.query.taskRepositories.findMany({
        where: (tr, { eq }) => eq(tr.taskId, task.id),
      });
      expect(rows.map((r) => [r.repositoryId, r.isActive]).sort()).toEqual(
        [
          [repoIds.web, false],
          [repoIds.api, true],
        ].sort(),
      );
      const text = await api(maintainer, "PATCH", path(repoIds.web), { isActive: "true" });
      expect(text.status).toBe(400);
    });

    it("shows a repository linked after the task's creation as inactive, and can switch it on", async () => {
      const task = await newTask(owner, { projectId, title: "Older than the repo" });
      const added = await api(owner, "POST", `/projects/${projectId}/repositories`, {
        name: "docs",
        full_name: "shop/docs",
        language: "Markdown",
      });
      expect(added.status).toBe(200);
      const before = await api(owner, "GET", `/tasks/${task.id}`);
      expect(before.body.repositories.find((r: { id: string }) => r.id === added.body.id)).toMatchObject({
        isActive: false,
      });
      const on = await api(owner, "PATCH", `/tasks/${task.id}/repositories/${added.body.id}`, {
        isActive: true,
      });
      expect(on.body.repositories.find((r: { id: string }) => r.id === added.body.id).isActive).toBe(true);
      await api(owner, "DELETE", `/projects/${projectId}/repositories/${added.body.id}`);
    });

    it("is 404 for a repository of another project, or on a task outside any project", async () => {
      const task = await newTask(owner, { projectId, title: "Fenced" });
      const foreign = await api(owner, "PATCH", `/tasks/${task.id}/repositories/${otherProject.repoId}`, {
        isActive: true,
      });
      expect(foreign.status).toBe(404);
      const loose = await newTask(owner, { title: "No project" });
      const none = await api(owner, "PATCH", `/tasks/${loose.id}/repositories/${repoIds.web}`, {
        isActive: true,
      });
      expect(none.status).toBe(404);
    });
  });

  describe("project-scoped aliases", () => {
    let task: { id: string };
    let otherTask: { id: string };
    let looseTask: { id: string };
    beforeAll(async () => {
      task = await newTask(owner, { projectId, title: "Aliased", priority: "urgent" });
      otherTask = await newTask(owner, { projectId: otherProject.id, title: "Other project's" });
      looseTask = await newTask(owner, { title: "Unassigned one" });
    });

    it("lists and filters the project's tasks only", async () => {
      const res = await api(viewer, "GET", `/projects/${projectId}/tasks?priority=urgent`);
      expect(res.status).toBe(200);
      const titles = res.body.items.map((t: { title: string }) => t.title);
      expect(titles).toContain("Aliased");
      expect(titles).not.toContain("Other project's");
      for (const item of res.body.items) expect(item).toMatchObject({ projectId, priority: "urgent" });
    });

    it("creates a task in the project", async () => {
      const res = await api(maintainer, "POST", `/projects/${projectId}/tasks`, {
        title: "Via alias",
        type: "ask",
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ projectId, title: "Via alias", type: "ask", status: "backlog" });
      expect(res.body.conversationId).toEqual(expect.any(String));
    });

    it("gets, assigns and completes a task of the project", async () => {
      const got = await api(viewer, "GET", `/projects/${projectId}/tasks/${task.id}`);
      expect(got.status).toBe(200);
      expect(got.body.title).toBe("Aliased");
      const assigned = await api(maintainer, "POST", `/projects/${projectId}/tasks/${task.id}/assign`, {
        agentId: agent.id,
      });
      expect(assigned.status).toBe(200);
      expect(assigned.body.assignedAgent.id).toBe(agent.id);
      const done = await api(maintainer, "POST", `/projects/${projectId}/tasks/${task.id}/complete`);
      expect(done.status).toBe(200);
      expect(done.body.status).toBe("completed");
    });

    it("is 404 for a task of another project or of none, even to a member of both", async () => {
      for (const id of [otherTask.id, looseTask.id]) {
        for (const [method, suffix, body] of [
          ["GET", "", undefined],
          ["POST", "/assign", { agentId: null }],
          ["POST", "/complete", undefined],
        ] as const) {
          const res = await api(owner, method, `/projects/${projectId}/tasks/${id}${suffix}`, body);
          expect(res.status, `${method} ${suffix}`).toBe(404);
        }
      }
      expect((await api(owner, "GET", `/tasks/${otherTask.id}`)).body.status).toBe("backlog");
    });
  });

  describe("DELETE /tasks/{taskId}", () => {
    it("refuses while a run is active, then deletes the task and its conversation", async () => {
      const task = await newTask(owner, { projectId, title: "Doomed" });
      const db = server.deps.db;
      const [run] = await db
        .insert(schema.runs)
        .values({ taskId: task.id, projectId, status: "running", pipeline: [], totalSteps: 1 })
        .returning();
      for (const status of ["running", "queued", "paused"]) {
        await db.$client.execute({ sql: "update runs set status = ? where id = ?", args: [status, run!.id] });
        const refused = await api(maintainer, "DELETE", `/tasks/${task.id}`);
        expect(refused.status, status).toBe(409);
        expect(refused.body.error.code).toBe("CONFLICT");
      }
      expect((await api(owner, "GET", `/tasks/${task.id}`)).status).toBe(200);

      await db.$client.execute({ sql: "update runs set status = 'cancelled' where id = ?", args: [run!.id] });
      const res = await api(maintainer, "DELETE", `/tasks/${task.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });
      expect((await api(owner, "GET", `/tasks/${task.id}`)).status).toBe(404);
      const conversation = await db.query.conversations.findFirst({
        where: (c, { eq }) => eq(c.id, task.conversationId),
      });
      expect(conversation).toBeUndefined();
    });
  });

  describe("access", () => {
    let task: { id: string };
    let loose: { id: string };
    beforeAll(async () => {
      task = await newTask(owner, { projectId, title: "Guarded" });
      loose = await newTask(owner, { title: "Owner's own" });
    });

    /** Every task write, with a body that would be valid for a maintainer. */
    const writes = (id: string): Array<[string, string, unknown]> => [
      ["PATCH", `/tasks/${id}`, { title: "Hijacked" }],
      ["DELETE", `/tasks/${id}`, undefined],
      ["POST", `/tasks/${id}/assign`, { agentId: null }],
      ["POST", `/tasks/${id}/complete`, undefined],
      ["PATCH", `/tasks/${id}/repositories/${repoIds.web}`, { isActive: false }],
    ];

    it("lets a viewer read but answers 403 to every write", async () => {
      expect((await api(viewer, "GET", `/tasks/${task.id}`)).status).toBe(200);
      expect((await api(viewer, "GET", `/projects/${projectId}/tasks`)).status).toBe(200);
      const all: Array<[string, string, unknown]> = [
        ...writes(task.id),
        ["POST", "/tasks", { projectId, title: "Nope" }],
        ["POST", `/projects/${projectId}/tasks`, { title: "Nope" }],
        ["POST", `/projects/${projectId}/tasks/${task.id}/assign`, { agentId: null }],
        ["POST", `/projects/${projectId}/tasks/${task.id}/complete`, undefined],
      ];
      for (const [method, path, body] of all) {
        const res = await api(viewer, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe("FORBIDDEN");
      }
      expect((await api(owner, "GET", `/tasks/${task.id}`)).body).toMatchObject({
        title: "Guarded",
        status: "backlog",
      });
    });

    it("answers 404 to a non-member on everything, and keeps the task out of their lists", async () => {
      const all: Array<[string, string, unknown]> = [
        ["GET", `/tasks/${task.id}`, undefined],
        ...writes(task.id),
        ["POST", "/tasks", { projectId, title: "Nope" }],
        ["GET", `/projects/${projectId}/tasks`, undefined],
        ["POST", `/projects/${projectId}/tasks`, { title: "Nope" }],
        ["GET", `/projects/${projectId}/tasks/${task.id}`, undefined],
        ["POST", `/projects/${projectId}/tasks/${task.id}/assign`, { agentId: null }],
        ["POST", `/projects/${projectId}/tasks/${task.id}/complete`, undefined],
        ["GET", `/tasks/${loose.id}`, undefined],
        ...writes(loose.id),
      ];
      for (const [method, path, body] of all) {
        const res = await api(outsider, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
      }
      const listed = await api(outsider, "GET", `/tasks?projectId=${projectId}`);
      expect(listed.body.items).toEqual([]);
      expect((await api(owner, "GET", `/tasks/${task.id}`)).body.title).toBe("Guarded");
      expect((await api(owner, "GET", `/tasks/${loose.id}`)).body.title).toBe("Owner's own");
    });

    it("keeps another member's unassigned task from the project's members", async () => {
      expect((await api(maintainer, "GET", `/tasks/${loose.id}`)).status).toBe(404);
    });

    it("needs authentication", async () => {
      const res = await server.api("GET", "/tasks");
      expect(res.status).toBe(401);
    });
  });
});
