// The seeds' documented request bodies, sent as written to the endpoints the contract maps them to: a
// client written from seed 003 (or 001, 002 where their bodies fit the contract) is accepted where the
// contract leaves the shape open (a project's colour as a CSS name, "blue", as well as hex; `refreshToken`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("the seeds' example request bodies", () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000" });
    user = await registerUser(server);
  });
  afterAll(() => server.stop());

  const as = (method: string, path: string, body?: unknown) =>
    server.api(method, path, { token: user.access_token, body });

  it("POST /auth/register and /auth/login as the seed writes them", async () => {
    const register = await server.api("POST", "/auth/register", {
      body: { email: "user@example.com", username: "johndoe", password: "securepassword123" },
    });
    expect(register.status).toBe(200);
    const login = await server.api("POST", "/auth/login", {
      body: { email: "user@example.com", password: "securepassword123" },
    });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ access_token: expect.any(String), user: { username: "johndoe" } });
  });

  it("seed 001: POST /auth/login by username, and POST /projects with its GitHub fields", async () => {
    const login = await server.api("POST", "/auth/login", {
      body: { username: user.username, password: user.password },
    });
    expect(login.status).toBe(200);
    const project = await as("POST", "/projects", {
      name: "My Project",
      description: "string",
      github_repo: "owner/repo",
      github_app_id: "string",
      github_installation_id: "string",
    });
    expect(project.status).toBe(200);
    expect(project.body).toMatchObject({ name: "My Project", description: "string" });
  });

  it("POST /projects with a CSS colour name, and PATCH /projects/{id} to another", async () => {
    const created = await as("POST", "/projects", {
      name: "My Project",
      description: "Project description (optional)",
      color: "blue",
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: "My Project", color: "blue" });
    const updated = await as("PATCH", `/projects/${created.body.id}`, {
      name: "Updated Name",
      description: "Updated description",
      color: "green",
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: "Updated Name", color: "green" });
    const stored = await server.deps.db.query.projects.findFirst({
      where: (p, { eq }) => eq(p.id, created.body.id),
    });
    expect(stored?.color).toBe("green");
    // Hex still works; anything that is neither is refused with a clear error, not stored.
    expect((await as("PATCH", `/projects/${created.body.id}`, { color: "#3b82f6" })).body.color).toBe(
      "#3b82f6",
    );
    const bad = await as("PATCH", `/projects/${created.body.id}`, { color: "blurple" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({
      code: "VALIDATION_ERROR",
      details: [{ field: "color", message: "A hex colour like #3b82f6, or a CSS colour name like blue" }],
    });
  });

  it("seeds 002 and 003: POST /auth/refresh and /auth/logout with `refreshToken`", async () => {
    const someone = await registerUser(server);
    const refreshed = await server.api("POST", "/auth/refresh", {
      body: { refreshToken: someone.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    // Logout names the session by its refresh token alone, with no other credential.
    const out = await server.api("POST", "/auth/logout", {
      body: { refreshToken: refreshed.body.refresh_token },
    });
    expect(out.status).toBe(200);
    expect(out.body).toMatchObject({ success: true, revoked: 1 });
    const again = await server.api("POST", "/auth/refresh", {
      body: { refreshToken: refreshed.body.refresh_token },
    });
    expect(again.status).toBe(401);
    // Neither name: the contract's field is the one said to be missing.
    const none = await server.api("POST", "/auth/refresh", { body: {} });
    expect(none.status).toBe(400);
    expect(none.body.error.details).toMatchObject([{ field: "refresh_token" }]);
  });

  it("POST /conversations with `project_id` files it in that project; messages take `files` as attachments", async () => {
    const project = await as("POST", "/projects", { name: "Chats", color: "blue" });
    const conversation = await as("POST", "/conversations", {
      title: "New Conversation",
      project_id: project.body.id,
    });
    expect(conversation.status).toBe(200);
    expect(conversation.body).toMatchObject({ title: "New Conversation", projectId: project.body.id });

    const form = new FormData();
    form.append("file", new Blob(["notes"], { type: "text/plain" }), "notes.txt");
    const upload = await fetch(`${server.url}/api/v1/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.access_token}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const file = (await upload.json()) as { id: string };
    const posted = await as("POST", `/conversations/${conversation.body.id}/messages`, {
      content: "Hello, how can you help me?",
      internet_enabled: true,
      files: [file.id],
    });
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({
      content: "Hello, how can you help me?",
      attachments: [expect.objectContaining({ id: file.id })],
    });
  });

  it("seed 001: snake_case bodies for a project's conversations, messages and tasks keep every field", async () => {
    const project = await as("POST", "/projects", { name: "Seed 001" });
    const agents = (await as("GET", `/projects/${project.body.id}/agents`)).body as
      | Array<{ id: string }>
      | { items: Array<{ id: string }> };
    const [first, second] = Array.isArray(agents) ? agents : agents.items;
    expect(first && second).toBeTruthy();
    const conversation = await as("POST", `/projects/${project.body.id}/conversations`, {
      title: "string",
      type: "general",
      agent_ids: [first!.id, second!.id],
    });
    expect(conversation.status).toBe(200);
    expect(conversation.body.agents.map((a: { id: string }) => a.id).sort()).toEqual(
      [first!.id, second!.id].sort(),
    );
    // Messages go to a chat with nobody to answer (no model is configured here): stored, and said so.
    const quiet = await as("POST", `/projects/${project.body.id}/conversations`, {
      title: "Notes",
      agent_ids: [],
    });
    const path = `/projects/${project.body.id}/conversations/${quiet.body.id}/messages`;
    const opening = await as("POST", path, { content: "string", reply_to: null });
    expect(opening.status).toBe(200);
    const reply = await as("POST", path, { content: "A follow-up", reply_to: opening.body.id });
    expect(reply.status).toBe(200);
    expect(reply.body.replyTo).toBe(opening.body.id);

    const task = await as("POST", `/projects/${project.body.id}/tasks`, {
      title: "string",
      description: "string",
      priority: "high",
      issue_id: null,
      assigned_to_agent_id: first!.id,
      definition_of_done: "The tests pass",
    });
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ assignedToAgentId: first!.id, definitionOfDone: "The tests pass" });
    // The contract's own name wins when a client sends both.
    const both = await as("POST", `/projects/${project.body.id}/tasks`, {
      title: "Both names",
      definitionOfDone: "Contract",
      definition_of_done: "Seed",
    });
    expect(both.body.definitionOfDone).toBe("Contract");
  });
});
