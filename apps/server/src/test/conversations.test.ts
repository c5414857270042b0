import { createHash, randomUUID } from "node:crypto";
import { schema } from "@crewdeck/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiResponse,
  addMember,
  apiAs,
  registerUser,
  startTestServer,
  type TestServer,
  type TestUser,
} from "./harness";

type Agent = { id: string; name: string; role: string };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ids = (res: ApiResponse) => res.body.items.map((i: { id: string }) => i.id);
const fields = (res: ApiResponse) => (res.body.error?.details ?? []).map((d: { field: string }) => d.field);

describe("conversations and messages", () => {
  let server: TestServer;
  let owner: TestUser;
  let maintainer: TestUser;
  let viewer: TestUser;
  let stranger: TestUser;
  let alpha: { id: string; repositoryId: string; agents: Agent[] };
  let beta: { id: string; repositoryId: string; agents: Agent[] };
  let alphaIssueId: string;
  let betaIssueId: string;
  let alphaTaskId: string;
  let betaTaskId: string;

  const call = apiAs(() => server);
  const db = () => server.deps.db;

  async function createProject(name: string): Promise<{ id: string; repositoryId: string; agents: Agent[] }> {
    const res = await call(owner, "POST", "/projects", {
      name,
      repositories: [{ name: "app", full_name: `acme/${name.toLowerCase()}`, language: "TypeScript" }],
    });
    expect(res.status).toBe(200);
    const agents = await call(owner, "GET", `/projects/${res.body.id}/agents`);
    return { id: res.body.id, repositoryId: res.body.repositories[0].id, agents: agents.body.items };
  }

  async function insertIssue(projectId: string, repositoryId: string, n: number): Promise<string> {
    const [row] = await db()
      .insert(schema.githubIssues)
      .values({
        projectId,
        repositoryId,
        number: n,
        title: `Issue ${n}`,
        htmlUrl: `https://github.com/i/${n}`,
      })
      .returning();
    return row!.id;
  }

  async function insertTask(
    projectId: string | null,
    createdById: string,
    extra: Partial<typeof schema.tasks.$inferInsert> = {},
  ): Promise<string> {
    const [row] = await db()
      .insert(schema.tasks)
      .values({ projectId, createdById, title: "A task", ...extra })
      .returning();
    return row!.id;
  }

  /** Through the upload route when it is mounted; otherwise the row it would store. */
  async function upload(user: TestUser, filename: string, text: string): Promise<string> {
    const bytes = Buffer.from(text);
    const form = new FormData();
    form.append("file", new Blob([bytes], { type: "text/plain" }), filename);
    const res = await fetch(`${server.url}/api/v1/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.access_token}` },
      body: form,
    });
    if (res.status === 200 || res.status === 201) return ((await res.json()) as { id: string }).id;
    if (res.status !== 404) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
    const [row] = await db()
      .insert(schema.files)
      .values({
        uploaderId: user.user.id,
        storedName: randomUUID(),
        filename,
        mimeType: "text/plain",
        size: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      })
      .returning();
    return row!.id;
  }

  async function createConversation(user: TestUser, body: Record<string, unknown>) {
    const res = await call(user, "POST", "/conversations", body);
    if (res.status !== 200) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; lastMessageAt: string };
  }

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
    owner = await registerUser(server);
    maintainer = await registerUser(server);
    viewer = await registerUser(server);
    stranger = await registerUser(server);
    alpha = await createProject("Alpha");
    beta = await createProject("Beta");
    for (const [user, role] of [
      [maintainer, "maintainer"],
      [viewer, "viewer"],
    ] as const) {
      const res = await addMember(server, owner.access_token, alpha.id, user, role);
      expect(res.status).toBe(200);
    }
    alphaIssueId = await insertIssue(alpha.id, alpha.repositoryId, 1);
    betaIssueId = await insertIssue(beta.id, beta.repositoryId, 1);
    alphaTaskId = await insertTask(alpha.id, owner.user.id);
    betaTaskId = await insertTask(beta.id, owner.user.id);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe("POST /conversations", () => {
    it("creates a project conversation with its agents and first message", async () => {
      const [first, second] = alpha.agents;
      const res = await call(maintainer, "POST", "/conversations", {
        title: "Kick-off",
        projectId: alpha.id,
        agentIds: [second!.id, first!.id],
        initialMessage: "Hello crew",
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        projectId: alpha.id,
        title: "Kick-off",
        type: "general",
        status: "active",
        taskId: null,
        issueId: null,
        messageCount: 1,
        hasMore: false,
        createdBy: { id: maintainer.user.id, name: expect.any(String) },
      });
      // In the crew's pipeline order, whatever order they were named in.
      expect(res.body.agents).toEqual([
        { id: first!.id, name: first!.name, role: first!.role },
        { id: second!.id, name: second!.name, role: second!.role },
      ]);
      expect(res.body.messages).toHaveLength(1);
      expect(res.body.messages[0]).toMatchObject({
        authorType: "user",
        author: { id: maintainer.user.id },
        agent: null,
        content: "Hello crew",
        status: "complete",
      });
      expect(res.body.lastMessageAt).toBe(res.body.messages[0].createdAt);
      const stored = await db().query.conversationAgents.findMany({
        where: (t, { eq }) => eq(t.conversationId, res.body.id),
      });
      expect(stored.map((r) => r.agentId).sort()).toEqual([first!.id, second!.id].sort());
    });

    it("infers the type from the task or issue it is about", async () => {
      const forTask = await createConversation(owner, {
        title: "T",
        projectId: alpha.id,
        taskId: alphaTaskId,
      });
      expect(forTask).toMatchObject({ type: "task", taskId: alphaTaskId, messageCount: 0, messages: [] });
      const forIssue = await createConversation(owner, {
        title: "I",
        projectId: alpha.id,
        issueId: alphaIssueId,
      });
      expect(forIssue).toMatchObject({ type: "issue", issueId: alphaIssueId });
      const explicit = await createConversation(owner, {
        title: "R",
        projectId: alpha.id,
        type: "review",
        taskId: alphaTaskId,
      });
      expect(explicit).toMatchObject({ type: "review", taskId: alphaTaskId });
    });

    it("refuses references from another project, naming each field, and stores nothing", async () => {
      const res = await call(owner, "POST", "/conversations", {
        title: "Crossed wires",
        projectId: alpha.id,
        agentIds: [alpha.agents[0]!.id, beta.agents[0]!.id],
        taskId: betaTaskId,
        issueId: betaIssueId,
        initialMessage: "should not be stored",
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(fields(res).sort()).toEqual(["agentIds.1", "issueId", "taskId"]);
      const stored = await db().query.conversations.findMany({
        where: (t, { eq }) => eq(t.title, "Crossed wires"),
      });
      expect(stored).toEqual([]);
    });

    it("refuses a task or agent that does not exist", async () => {
      const res = await call(owner, "POST", "/conversations", {
        title: "Ghosts",
        projectId: alpha.id,
        agentIds: ["no-such-agent"],
        taskId: "no-such-task",
      });
      expect(res.status).toBe(400);
      expect(fields(res).sort()).toEqual(["agentIds.0", "taskId"]);
    });

    it("refuses a body without a title, and empty or oversized first messages", async () => {
      const noTitle = await call(owner, "POST", "/conversations", { projectId: alpha.id });
      expect(noTitle.status).toBe(400);
      expect(fields(noTitle)).toContain("title");
      const blank = await call(owner, "POST", "/conversations", { title: "x", initialMessage: "   " });
      expect(blank.status).toBe(400);
      expect(fields(blank)).toContain("initialMessage");
      const badType = await call(owner, "POST", "/conversations", { title: "x", type: "chat" });
      expect(badType.status).toBe(400);
      expect(fields(badType)).toContain("type");
    });

    it("needs maintainer in the project: a viewer gets 403, a non-member 404", async () => {
      const asViewer = await call(viewer, "POST", "/conversations", { title: "Nope", projectId: alpha.id });
      expect(asViewer.status).toBe(403);
      expect(asViewer.body.error.code).toBe("FORBIDDEN");
      const asStranger = await call(stranger, "POST", "/conversations", {
        title: "Nope",
        projectId: alpha.id,
      });
      expect(asStranger.status).toBe(404);
      expect(asStranger.body.error.code).toBe("RESOURCE_NOT_FOUND");
    });

    it("creates an unassigned conversation with agents of projects the caller maintains", async () => {
      const res = await call(maintainer, "POST", "/conversations", {
        title: "Scratchpad",
        projectId: null,
        agentIds: [alpha.agents[2]!.id],
        initialMessage: "thinking aloud",
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ projectId: null, title: "Scratchpad", messageCount: 1 });
      expect(res.body.agents.map((a: Agent) => a.id)).toEqual([alpha.agents[2]!.id]);
    });

    it("refuses, for an unassigned conversation, agents the caller only views, issues, and others' tasks", async () => {
      const ownTask = await insertTask(null, viewer.user.id);
      const othersTask = await insertTask(null, owner.user.id);
      const res = await call(viewer, "POST", "/conversations", {
        title: "Overreach",
        agentIds: [alpha.agents[0]!.id],
        issueId: alphaIssueId,
        taskId: othersTask,
      });
      expect(res.status).toBe(400);
      expect(fields(res).sort()).toEqual(["agentIds.0", "issueId", "taskId"]);
      const projectTask = await call(viewer, "POST", "/conversations", { title: "x", taskId: alphaTaskId });
      expect(fields(projectTask)).toEqual(["taskId"]);
      const mine = await call(viewer, "POST", "/conversations", { title: "Mine", taskId: ownTask });
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({ projectId: null, taskId: ownTask, type: "task" });
    });
  });

  describe("GET /conversations", () => {
    let lister: TestUser;
    const made: Record<string, string> = {};

    beforeAll(async () => {
      lister = await registerUser(server);
      const p1 = await call(lister, "POST", "/projects", { name: "Listed one" });
      const p2 = await call(lister, "POST", "/projects", { name: "Listed two" });
      const plan: Array<[string, Record<string, unknown>]> = [
        ["a", { projectId: p1.body.id }],
        ["b", { projectId: p1.body.id, type: "review" }],
        ["c", { projectId: p2.body.id }],
        ["d", {}],
        ["e", { type: "review" }],
      ];
      for (const [title, body] of plan)
        made[title] = (await createConversation(lister, { title, ...body })).id;
      made.p1 = p1.body.id;
      made.p2 = p2.body.id;
      expect((await call(lister, "POST", `/conversations/${made.c}/pause`)).status).toBe(200);
      // The newest activity comes first: `b` was talked in last.
      expect(
        (await call(lister, "POST", `/conversations/${made.b}/messages`, { content: "bump" })).status,
      ).toBe(200);
      // Someone else's unassigned conversation and project never show up.
      await createConversation(stranger, { title: "not yours" });
      const elsewhere = await call(stranger, "POST", "/projects", { name: "Elsewhere" });
      await createConversation(stranger, { title: "not yours either", projectId: elsewhere.body.id });
    });

    const list = (query = "") => call(lister, "GET", `/conversations${query}`);

    it("lists the caller's project and unassigned conversations, newest activity first", async () => {
      const res = await list();
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 5, page: 1, pages: 1 });
      expect(ids(res)).toEqual([made.b, made.e, made.d, made.c, made.a]);
      const b = res.body.items[0];
      expect(b).toMatchObject({
        title: "b",
        projectId: made.p1,
        type: "review",
        messageCount: 1,
        agents: [],
      });
      expect(b.lastMessageAt).toMatch(ISO);
      expect(b.createdBy).toEqual({ id: lister.user.id, name: expect.any(String) });
    });

    it("filters by project id, and by `unassigned`", async () => {
      expect(ids(await list(`?projectId=${made.p1}`))).toEqual([made.b, made.a]);
      expect(ids(await list(`?projectId=${made.p2}`))).toEqual([made.c]);
      expect(ids(await list("?projectId=unassigned"))).toEqual([made.e, made.d]);
      // A project the caller is not in yields nothing, not someone else's conversations.
      const foreign = await list(`?projectId=${alpha.id}`);
      expect(foreign.status).toBe(200);
      expect(foreign.body).toMatchObject({ items: [], total: 0 });
    });

    it("filters by type and status, alone and together", async () => {
      expect(ids(await list("?type=review"))).toEqual([made.b, made.e]);
      expect(ids(await list("?status=paused"))).toEqual([made.c]);
      expect(ids(await list("?status=active&type=general"))).toEqual([made.d, made.a]);
      expect(ids(await list("?projectId=unassigned&type=review"))).toEqual([made.e]);
      expect((await list("?type=chat")).status).toBe(400);
    });

    it("paginates with page and limit", async () => {
      const first = await list("?limit=2");
      expect(first.body).toMatchObject({ total: 5, page: 1, pages: 3 });
      const third = await list("?limit=2&page=3");
      expect(ids(third)).toEqual([made.a]);
      expect((await list("?limit=101")).status).toBe(400);
    });

    it("shows a member every conversation of their projects", async () => {
      const res = await call(viewer, "GET", `/conversations?projectId=${alpha.id}&limit=100`);
      expect(res.status).toBe(200);
      const titles = res.body.items.map((c: { title: string }) => c.title);
      expect(titles).toContain("Kick-off");
      expect(titles).not.toContain("Scratchpad"); // the maintainer's unassigned one
    });
  });

  describe("one conversation", () => {
    let convId: string;
    let unassignedId: string;

    beforeAll(async () => {
      convId = (
        await createConversation(owner, {
          title: "Roadmap",
          projectId: alpha.id,
          agentIds: [alpha.agents[0]!.id],
          initialMessage: "first",
        })
      ).id;
      unassignedId = (await createConversation(owner, { title: "Private notes", initialMessage: "secret" }))
        .id;
    });

    it("GET shows the conversation with agents and messages to every member", async () => {
      for (const user of [owner, maintainer, viewer]) {
        const res = await call(user, "GET", `/conversations/${convId}`);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: convId, title: "Roadmap", messageCount: 1, hasMore: false });
        expect(res.body.agents.map((a: Agent) => a.id)).toEqual([alpha.agents[0]!.id]);
        expect(res.body.messages.map((m: { content: string }) => m.content)).toEqual(["first"]);
      }
    });

    it("hides an unassigned conversation from everyone but its creator", async () => {
      expect((await call(owner, "GET", `/conversations/${unassignedId}`)).status).toBe(200);
      for (const user of [maintainer, viewer, stranger]) {
        const res = await call(user, "GET", `/conversations/${unassignedId}`);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
        const post = await call(user, "POST", `/conversations/${unassignedId}/messages`, { content: "hi" });
        expect(post.status).toBe(404);
      }
      const listed = await call(maintainer, "GET", "/conversations?limit=100");
      expect(ids(listed)).not.toContain(unassignedId);
    });

    it("answers a non-member 404 on every operation, as for an id that does not exist", async () => {
      const attempts: Array<[string, string, unknown?]> = [
        ["GET", `/conversations/${convId}`],
        ["GET", `/conversations/${convId}/messages`],
        ["POST", `/conversations/${convId}/messages`, { content: "hi" }],
        ["PATCH", `/conversations/${convId}`, { title: "Mine now" }],
        ["POST", `/conversations/${convId}/pause`, {}],
        ["POST", `/conversations/${convId}/resume`, {}],
        ["DELETE", `/conversations/${convId}`],
        ["GET", `/projects/${alpha.id}/conversations`],
        ["POST", `/projects/${alpha.id}/conversations`, { title: "x" }],
        ["GET", `/projects/${alpha.id}/conversations/${convId}`],
        ["GET", `/projects/${alpha.id}/conversations/${convId}/messages`],
        ["POST", `/projects/${alpha.id}/conversations/${convId}/messages`, { content: "hi" }],
        ["POST", `/projects/${alpha.id}/conversations/${convId}/pause`, {}],
        ["POST", `/projects/${alpha.id}/conversations/${convId}/resume`, {}],
      ];
      for (const [method, path, body] of attempts) {
        const res = await call(stranger, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
      }
      const missing = await call(stranger, "GET", "/conversations/01900000-0000-7000-8000-000000000000");
      const real = await call(stranger, "GET", `/conversations/${convId}`);
      expect(real.body.error.message).toBe(missing.body.error.message);
      const after = await call(owner, "GET", `/conversations/${convId}`);
      expect(after.body).toMatchObject({ title: "Roadmap", status: "active", messageCount: 1 });
    });

    it("lets a viewer read but answers 403 to every write", async () => {
      expect((await call(viewer, "GET", `/conversations/${convId}/messages`)).status).toBe(200);
      expect((await call(viewer, "GET", `/projects/${alpha.id}/conversations/${convId}`)).status).toBe(200);
      const attempts: Array<[string, string, unknown?]> = [
        ["POST", `/conversations/${convId}/messages`, { content: "hi" }],
        ["PATCH", `/conversations/${convId}`, { title: "Viewer was here" }],
        ["POST", `/conversations/${convId}/pause`, {}],
        ["POST", `/conversations/${convId}/resume`, {}],
        ["DELETE", `/conversations/${convId}`],
        ["POST", `/projects/${alpha.id}/conversations`, { title: "x" }],
        ["POST", `/projects/${alpha.id}/conversations/${convId}/messages`, { content: "hi" }],
        ["POST", `/projects/${alpha.id}/conversations/${convId}/pause`, {}],
        ["POST", `/projects/${alpha.id}/conversations/${convId}/resume`, {}],
      ];
      for (const [method, path, body] of attempts) {
        const res = await call(viewer, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe("FORBIDDEN");
      }
      const after = await call(owner, "GET", `/conversations/${convId}`);
      expect(after.body).toMatchObject({ title: "Roadmap", status: "active", messageCount: 1 });
    });

    it("PATCH renames and changes the status; a completed conversation takes no messages", async () => {
      const renamed = await call(maintainer, "PATCH", `/conversations/${convId}`, { title: "Roadmap 2027" });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id: convId, title: "Roadmap 2027", status: "active" });
      const done = await call(maintainer, "PATCH", `/conversations/${convId}`, { status: "completed" });
      expect(done.body.status).toBe("completed");
      const post = await call(maintainer, "POST", `/conversations/${convId}/messages`, { content: "late" });
      expect(post.status).toBe(409);
      expect(post.body.error.code).toBe("CONFLICT");
      const pause = await call(maintainer, "POST", `/conversations/${convId}/pause`);
      expect(pause.status).toBe(409);
      const reopened = await call(maintainer, "PATCH", `/conversations/${convId}`, { status: "active" });
      expect(reopened.body.status).toBe("active");
      const bad = await call(maintainer, "PATCH", `/conversations/${convId}`, {
        status: "archived",
        title: "",
      });
      expect(bad.status).toBe(400);
      expect(fields(bad).sort()).toEqual(["status", "title"]);
    });

    it("pause and resume switch the status; people may still post into a paused conversation", async () => {
      const paused = await call(maintainer, "POST", `/conversations/${convId}/pause`);
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ id: convId, status: "paused" });
      const post = await call(maintainer, "POST", `/conversations/${convId}/messages`, {
        content: "still here",
      });
      expect(post.status).toBe(200);
      const listed = await call(maintainer, "GET", `/conversations?status=paused&projectId=${alpha.id}`);
      expect(ids(listed)).toContain(convId);
      const resumed = await call(maintainer, "POST", `/conversations/${convId}/resume`);
      expect(resumed.body.status).toBe("active");
      expect((await call(owner, "GET", `/conversations/${convId}`)).body.status).toBe("active");
    });

    it("DELETE removes the conversation and its messages", async () => {
      const doomed = await createConversation(maintainer, {
        title: "Doomed",
        projectId: alpha.id,
        initialMessage: "bye",
      });
      const res = await call(maintainer, "DELETE", `/conversations/${doomed.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });
      expect((await call(maintainer, "GET", `/conversations/${doomed.id}`)).status).toBe(404);
      const messages = await db().query.messages.findMany({
        where: (t, { eq }) => eq(t.conversationId, doomed.id),
      });
      expect(messages).toEqual([]);
      expect((await call(maintainer, "DELETE", `/conversations/${doomed.id}`)).status).toBe(404);
    });
  });

  describe("project-scoped aliases", () => {
    let alphaConv: string;
    let betaConv: string;

    beforeAll(async () => {
      alphaConv = (
        await createConversation(owner, { title: "In alpha", projectId: alpha.id, initialMessage: "a" })
      ).id;
      betaConv = (await createConversation(owner, { title: "In beta", projectId: beta.id, type: "review" }))
        .id;
    });

    it("lists and creates within the project", async () => {
      const created = await call(maintainer, "POST", `/projects/${alpha.id}/conversations`, {
        title: "Via alias",
        type: "review",
        agentIds: [alpha.agents[1]!.id],
      });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ projectId: alpha.id, title: "Via alias", type: "review" });
      const reviews = await call(viewer, "GET", `/projects/${alpha.id}/conversations?type=review&limit=100`);
      expect(reviews.status).toBe(200);
      expect(ids(reviews)).toContain(created.body.id);
      expect(reviews.body.items.every((c: { type: string; projectId: string }) => c.type === "review")).toBe(
        true,
      );
      expect(ids(reviews)).not.toContain(betaConv);
      const foreign = await call(maintainer, "POST", `/projects/${alpha.id}/conversations`, {
        title: "x",
        agentIds: [beta.agents[0]!.id],
      });
      expect(fields(foreign)).toEqual(["agentIds.0"]);
    });

    it("serves get, messages, pause and resume for a conversation of the project", async () => {
      const base = `/projects/${alpha.id}/conversations/${alphaConv}`;
      const got = await call(viewer, "GET", base);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id: alphaConv, title: "In alpha", messageCount: 1 });
      const posted = await call(maintainer, "POST", `${base}/messages`, { content: "via alias" });
      expect(posted.status).toBe(200);
      expect(posted.body).toMatchObject({ conversationId: alphaConv, content: "via alias" });
      const page = await call(viewer, "GET", `${base}/messages`);
      expect(page.body.items.map((m: { content: string }) => m.content)).toEqual(["via alias", "a"]);
      expect((await call(maintainer, "POST", `${base}/pause`)).body.status).toBe("paused");
      expect((await call(maintainer, "POST", `${base}/resume`)).body.status).toBe("active");
    });

    it("answers 404 for a conversation of another project, even to a member of both", async () => {
      const wrong = `/projects/${alpha.id}/conversations/${betaConv}`;
      const attempts: Array<[string, string, unknown?]> = [
        ["GET", wrong],
        ["GET", `${wrong}/messages`],
        ["POST", `${wrong}/messages`, { content: "hi" }],
        ["POST", `${wrong}/pause`, {}],
        ["POST", `${wrong}/resume`, {}],
      ];
      for (const [method, path, body] of attempts) {
        const res = await call(owner, method, path, body);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
      }
      const untouched = await call(owner, "GET", `/conversations/${betaConv}`);
      expect(untouched.body).toMatchObject({ status: "active", messageCount: 0 });
    });
  });

  describe("messages", () => {
    // Without agents, so nobody is asked to answer (this server has no model provider; chat.test.ts has).
    let convId: string;
    let crewConvId: string;
    let otherConvId: string;

    beforeAll(async () => {
      convId = (await createConversation(maintainer, { title: "Messages", projectId: alpha.id })).id;
      crewConvId = (
        await createConversation(maintainer, {
          title: "With the crew",
          projectId: alpha.id,
          agentIds: [alpha.agents[0]!.id, alpha.agents[3]!.id],
        })
      ).id;
      otherConvId = (await createConversation(maintainer, { title: "Other", initialMessage: "elsewhere" }))
        .id;
    });

    const post = (body: unknown, user = maintainer) =>
      call(user, "POST", `/conversations/${convId}/messages`, body);

    it("stores the message and returns it in the contract's shape", async () => {
      const before = (await call(maintainer, "GET", `/conversations/${convId}`)).body;
      const res = await post({ content: "Plan the release" });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: expect.any(String),
        conversationId: convId,
        authorType: "user",
        author: { id: maintainer.user.id, name: expect.any(String) },
        agent: null,
        content: "Plan the release",
        status: "complete",
        replyTo: null,
        attachments: [],
        tokensIn: 0,
        tokensOut: 0,
        costUsd: 0,
        model: null,
        createdAt: expect.stringMatching(ISO),
        // Who answers, or why nobody will: this conversation has no agents.
        answering: { agents: [], reason: expect.stringContaining("No agents") },
      });
      const after = (await call(maintainer, "GET", `/conversations/${convId}`)).body;
      expect(after.messageCount).toBe(before.messageCount + 1);
      expect(after.lastMessageAt).toBe(res.body.createdAt);
      expect(after.lastMessageAt > before.lastMessageAt).toBe(true);
      expect(after.messages[0].id).toBe(res.body.id);
    });

    it("replies to a message of the same conversation", async () => {
      const first = await post({ content: "Question" });
      const reply = await post({ content: "Follow-up", replyTo: first.body.id });
      expect(reply.status).toBe(200);
      expect(reply.body.replyTo).toBe(first.body.id);
    });

    it("refuses to ask agents with no model provider configured, and stores nothing", async () => {
      const path = `/conversations/${crewConvId}`;
      const before = (await call(maintainer, "GET", path)).body.messageCount;
      const res = await call(maintainer, "POST", `${path}/messages`, { content: "Anyone there?" });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe("MODEL_PROVIDER_ERROR");
      expect(res.body.error.message).toContain("ANTHROPIC_API_KEY");
      expect((await call(maintainer, "GET", path)).body.messageCount).toBe(before);
    });

    it("refuses empty, blank and oversized content", async () => {
      for (const content of ["", "   \n ", "x".repeat(100_001)]) {
        const res = await post({ content });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("VALIDATION_ERROR");
        expect(fields(res)).toEqual(["content"]);
      }
      expect(fields(await post({}))).toEqual(["content"]);
    });

    it("refuses a replyTo that is not a message of this conversation", async () => {
      const elsewhere = (await call(maintainer, "GET", `/conversations/${otherConvId}/messages`)).body
        .items[0];
      for (const replyTo of [elsewhere.id, "no-such-message"]) {
        const res = await post({ content: "hi", replyTo });
        expect(res.status).toBe(400);
        expect(fields(res)).toEqual(["replyTo"]);
      }
    });

    it("refuses agents that are not in the conversation, naming each", async () => {
      const res = await call(maintainer, "POST", `/conversations/${crewConvId}/messages`, {
        content: "hi",
        agentIds: [alpha.agents[0]!.id, alpha.agents[1]!.id, beta.agents[0]!.id],
      });
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(["agentIds.1", "agentIds.2"]);
    });

    it("attaches the caller's own files, which then appear on the message", async () => {
      const notes = await upload(maintainer, "notes.txt", "release notes draft");
      const plan = await upload(maintainer, "plan.txt", "the plan");
      const res = await post({ content: "See attached", attachmentIds: [notes, plan] });
      expect(res.status).toBe(200);
      const sha = createHash("sha256").update("release notes draft").digest("hex");
      expect(res.body.attachments).toHaveLength(2);
      expect(res.body.attachments.find((a: { id: string }) => a.id === notes)).toEqual({
        id: notes,
        filename: "notes.txt",
        size: Buffer.byteLength("release notes draft"),
        mimeType: expect.any(String),
        sha256: sha,
        url: `/api/v1/files/${notes}`,
      });
      const page = await call(viewer, "GET", `/conversations/${convId}/messages?limit=1`);
      expect(page.body.items[0].attachments.map((a: { id: string }) => a.id).sort()).toEqual(
        [notes, plan].sort(),
      );
      const file = await db().query.files.findFirst({ where: (t, { eq }) => eq(t.id, notes) });
      expect(file).toMatchObject({ conversationId: convId, projectId: alpha.id });
    });

    it("refuses another user's file, and more than ten attachments, and stores nothing", async () => {
      const mine = await upload(maintainer, "mine.txt", "mine");
      const theirs = await upload(owner, "theirs.txt", "theirs");
      const countBefore = (await call(maintainer, "GET", `/conversations/${convId}`)).body.messageCount;
      const res = await post({ content: "Sharing", attachmentIds: [mine, theirs] });
      expect(res.status).toBe(400);
      expect(fields(res)).toEqual(["attachmentIds.1"]);
      const tooMany = await post({
        content: "x",
        attachmentIds: Array.from({ length: 11 }, (_, i) => `f${i}`),
      });
      expect(tooMany.status).toBe(400);
      expect(fields(tooMany)).toEqual(["attachmentIds"]);
      expect((await call(maintainer, "GET", `/conversations/${convId}`)).body.messageCount).toBe(countBefore);
      const file = await db().query.files.findFirst({ where: (t, { eq }) => eq(t.id, mine) });
      expect(file?.conversationId).toBeNull();
    });

    it("shows an agent's message with the agent, its tokens, cost and model", async () => {
      const agent = alpha.agents[0]!;
      const [row] = await db()
        .insert(schema.messages)
        .values({
          conversationId: convId,
          authorType: "agent",
          agentId: agent.id,
          content: "Here is the plan",
          tokensIn: 1500,
          tokensOut: 800,
          costMicros: 45_000,
          model: "claude-sonnet-4-5",
        })
        .returning();
      const page = await call(viewer, "GET", `/conversations/${convId}/messages?limit=1`);
      expect(page.body.items[0]).toMatchObject({
        id: row!.id,
        authorType: "agent",
        author: { id: agent.id, name: agent.name },
        agent: { id: agent.id, name: agent.name, role: agent.role },
        tokensIn: 1500,
        tokensOut: 800,
        costUsd: 0.045,
        model: "claude-sonnet-4-5",
      });
    });

    it("refuses a cursor that is not a message of this conversation", async () => {
      const elsewhere = (await call(maintainer, "GET", `/conversations/${otherConvId}/messages`)).body
        .items[0];
      for (const path of [`/conversations/${convId}/messages`, `/conversations/${convId}`]) {
        const res = await call(maintainer, "GET", `${path}?before=${elsewhere.id}`);
        expect(res.status).toBe(400);
        expect(fields(res)).toEqual(["before"]);
      }
    });
  });

  describe("GET /tasks/{taskId}/conversation", () => {
    let taskId: string;
    let linkedConv: string;
    let taskConv: string;
    let expected: string[];

    beforeAll(async () => {
      const [pm, , architect] = alpha.agents;
      linkedConv = (await createConversation(owner, { title: "Linked from the task", projectId: alpha.id }))
        .id;
      taskId = await insertTask(alpha.id, owner.user.id, { title: "Unified", conversationId: linkedConv });
      taskConv = (
        await createConversation(owner, {
          title: "About the task",
          projectId: alpha.id,
          taskId,
          agentIds: [alpha.agents[5]!.id],
        })
      ).id;
      const unrelated = (await createConversation(owner, { title: "Unrelated", projectId: alpha.id })).id;
      const base = Date.now() - 60_000;
      const at = (s: number) => new Date(base + s * 1000);
      const rows = await db()
        .insert(schema.messages)
        .values([
          {
            conversationId: taskConv,
            authorType: "user",
            userId: owner.user.id,
            content: "1",
            createdAt: at(1),
          },
          {
            conversationId: linkedConv,
            authorType: "agent",
            agentId: pm!.id,
            content: "2",
            createdAt: at(2),
          },
          {
            conversationId: unrelated,
            authorType: "user",
            userId: owner.user.id,
            content: "x",
            createdAt: at(2),
          },
          {
            conversationId: taskConv,
            authorType: "agent",
            agentId: architect!.id,
            content: "3",
            createdAt: at(3),
          },
          { conversationId: linkedConv, authorType: "system", content: "4", createdAt: at(4) },
          { conversationId: taskConv, authorType: "agent", agentId: pm!.id, content: "5", createdAt: at(5) },
        ])
        .returning();
      expected = rows.filter((r) => r.conversationId !== unrelated).map((r) => r.id);
    });

    it("merges every message of the task's conversations in time order, agents preserved", async () => {
      const res = await call(viewer, "GET", `/tasks/${taskId}/conversation`);
      expect(res.status).toBe(200);
      expect(res.body.task).toEqual({ id: taskId, title: "Unified", status: "backlog" });
      expect(res.body.conversations.map((c: { id: string }) => c.id).sort()).toEqual(
        [linkedConv, taskConv].sort(),
      );
      expect(res.body.messages.map((m: { id: string }) => m.id)).toEqual(expected);
      expect(res.body.messages.map((m: { content: string }) => m.content)).toEqual(["1", "2", "3", "4", "5"]);
      const [pm, , architect] = alpha.agents;
      expect(res.body.messages[1]).toMatchObject({
        authorType: "agent",
        agent: { id: pm!.id, role: pm!.role },
      });
      expect(res.body.messages[2].agent).toEqual({
        id: architect!.id,
        name: architect!.name,
        role: architect!.role,
      });
      expect(res.body.messages[3]).toMatchObject({ authorType: "system", agent: null, author: { id: null } });
      expect(res.body.metadata).toEqual({
        agents: [pm, architect, alpha.agents[5]].map((a) => ({ id: a!.id, name: a!.name, role: a!.role })),
        totalMessages: 5,
        totalConversations: 2,
        lastUpdated: res.body.messages[4].createdAt,
      });
    });

    it("is empty for a task nobody has talked about yet", async () => {
      const quiet = await insertTask(alpha.id, owner.user.id, { title: "Quiet" });
      const res = await call(owner, "GET", `/tasks/${quiet}/conversation`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        messages: [],
        conversations: [],
        metadata: { agents: [], totalMessages: 0, totalConversations: 0, lastUpdated: null },
      });
    });

    it("answers 404 to a non-member and for a task that does not exist", async () => {
      const res = await call(stranger, "GET", `/tasks/${taskId}/conversation`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
      expect((await call(owner, "GET", "/tasks/no-such-task/conversation")).status).toBe(404);
    });
  });
});
