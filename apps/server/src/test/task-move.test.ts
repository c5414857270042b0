// Moving a task into a project through PATCH /tasks/{id}: a task made on the Tasks page without a
// project could never start, and the PATCH silently dropped `projectId`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, apiAs, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("moving a task into a project", () => {
  let server: TestServer;
  let owner: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;
  let shop: { id: string; repoIds: string[] };
  let blog: { id: string; repoIds: string[]; agentId: string };

  const api = apiAs(() => server);
  const createProject = async (name: string, repos: string[]) => {
    const res = await api(owner, "POST", "/projects", {
      name,
      repositories: repos.map((r) => ({ name: r, full_name: `${name.toLowerCase()}/${r}` })),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const agents = await api(owner, "GET", `/projects/${res.body.id}/agents`);
    return {
      id: res.body.id as string,
      repoIds: res.body.repositories.map((r: { id: string }) => r.id) as string[],
      agentId: agents.body.items[0].id as string,
    };
  };
  const unassignedTask = async (user: TestUser, title: string) => {
    const res = await api(user, "POST", "/tasks", { title });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.projectId).toBeNull();
    return res.body as { id: string; conversationId: string };
  };

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000" });
    [owner, viewer, outsider] = await Promise.all([
      registerUser(server),
      registerUser(server),
      registerUser(server),
    ]);
    shop = await createProject("Shop", ["web", "api"]);
    blog = await createProject("Blog", ["site"]);
    expect((await addMember(server, owner.access_token, shop.id, viewer, "viewer")).status).toBe(200);
  });
  afterAll(() => server?.close());

  it("moves an unassigned task, with its conversation and the project's repositories", async () => {
    const task = await unassignedTask(owner, "Write the landing page");
    const res = await api(owner, "PATCH", `/tasks/${task.id}`, { projectId: shop.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.projectId).toBe(shop.id);
    expect(res.body.repositories.map((r: { id: string }) => r.id).sort()).toEqual([...shop.repoIds].sort());

    const listed = await api(owner, "GET", `/projects/${shop.id}/tasks`);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toContain(task.id);
    const conversation = await api(owner, "GET", `/conversations/${task.conversationId}`);
    expect(conversation.body.projectId).toBe(shop.id);
  });

  it("between projects clears the old project's agent and repository", async () => {
    const res = await api(owner, "POST", `/projects/${blog.id}/tasks`, {
      title: "Fix the feed",
      repositoryId: blog.repoIds[0],
      assignedToAgentId: blog.agentId,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const moved = await api(owner, "PATCH", `/tasks/${res.body.id}`, {
      projectId: shop.id,
      repositoryId: shop.repoIds[1],
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.projectId).toBe(shop.id);
    expect(moved.body.repositoryId).toBe(shop.repoIds[1]);
    expect(moved.body.assignedToAgentId).toBeNull();
    const active = moved.body.repositories.filter((r: { isActive: boolean }) => r.isActive);
    expect(active.map((r: { id: string }) => r.id)).toEqual([shop.repoIds[1]]);
  });

  it("refuses a repository of another project in the same request", async () => {
    const task = await unassignedTask(owner, "Cross wires");
    const res = await api(owner, "PATCH", `/tasks/${task.id}`, {
      projectId: shop.id,
      repositoryId: blog.repoIds[0],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect((await api(owner, "GET", `/tasks/${task.id}`)).body.projectId).toBeNull();
  });

  it("is 403 into a project where you are only a viewer, 404 into one you are not in", async () => {
    const task = await unassignedTask(viewer, "Sneak in");
    const asViewer = await api(viewer, "PATCH", `/tasks/${task.id}`, { projectId: shop.id });
    expect(asViewer.status).toBe(403);
    expect(asViewer.body.error.code).toBe("FORBIDDEN");

    const own = await unassignedTask(outsider, "Elsewhere");
    const asOutsider = await api(outsider, "PATCH", `/tasks/${own.id}`, { projectId: shop.id });
    expect(asOutsider.status).toBe(404);
    expect(asOutsider.body.error.code).toBe("RESOURCE_NOT_FOUND");
    expect((await api(outsider, "GET", `/tasks/${own.id}`)).body.projectId).toBeNull();
  });

  it("says so in the OpenAPI description", async () => {
    const res = await server.api("GET", "/openapi.json");
    const patch = res.body.paths["/tasks/{taskId}"].patch;
    const body = patch.requestBody.content["application/json"].schema;
    expect(body.properties.projectId.description).toMatch(/Move the task into this project/);
  });
});
