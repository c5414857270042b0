import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

type Ids = { projectId: string; agentId: string; repoId: string; memberId: string; outsiderId: string };
type Endpoint = { name: string; method: string; path: (ids: Ids) => string; body?: (ids: Ids) => unknown };

const agentBody = {
  name: "Intruder",
  role: "reviewer",
  modelConfig: { model: "claude-sonnet-4-5", temperature: 0.2, maxTokens: 1000 },
};

/** Every project-scoped endpoint of §2.3 and §2.4, each with a body that would be valid for a member. */
const ENDPOINTS: Endpoint[] = [
  { name: "get project", method: "GET", path: (i) => `/projects/${i.projectId}` },
  {
    name: "patch project",
    method: "PATCH",
    path: (i) => `/projects/${i.projectId}`,
    body: () => ({ name: "Owned" }),
  },
  { name: "delete project", method: "DELETE", path: (i) => `/projects/${i.projectId}` },
  { name: "list members", method: "GET", path: (i) => `/projects/${i.projectId}/members` },
  {
    name: "add member",
    method: "POST",
    path: (i) => `/projects/${i.projectId}/members`,
    body: (i) => ({ userId: i.outsiderId, role: "owner" }),
  },
  {
    name: "patch member",
    method: "PATCH",
    path: (i) => `/projects/${i.projectId}/members/${i.memberId}`,
    body: () => ({ role: "viewer" }),
  },
  { name: "remove member", method: "DELETE", path: (i) => `/projects/${i.projectId}/members/${i.memberId}` },
  {
    name: "add repository",
    method: "POST",
    path: (i) => `/projects/${i.projectId}/repositories`,
    body: () => ({ name: "evil", full_name: "mallory/evil", language: "Go" }),
  },
  {
    name: "remove repository",
    method: "DELETE",
    path: (i) => `/projects/${i.projectId}/repositories/${i.repoId}`,
  },
  { name: "list agents", method: "GET", path: (i) => `/projects/${i.projectId}/agents` },
  {
    name: "create agent",
    method: "POST",
    path: (i) => `/projects/${i.projectId}/agents`,
    body: () => agentBody,
  },
  { name: "get agent", method: "GET", path: (i) => `/projects/${i.projectId}/agents/${i.agentId}` },
  {
    name: "patch agent",
    method: "PATCH",
    path: (i) => `/projects/${i.projectId}/agents/${i.agentId}`,
    body: () => ({ name: "Renamed" }),
  },
  { name: "delete agent", method: "DELETE", path: (i) => `/projects/${i.projectId}/agents/${i.agentId}` },
  {
    name: "reset agent",
    method: "POST",
    path: (i) => `/projects/${i.projectId}/agents/${i.agentId}/reset`,
    body: () => ({}),
  },
  {
    name: "pause agent",
    method: "POST",
    path: (i) => `/projects/${i.projectId}/agents/${i.agentId}/pause`,
    body: () => ({}),
  },
  {
    name: "resume agent",
    method: "POST",
    path: (i) => `/projects/${i.projectId}/agents/${i.agentId}/resume`,
    body: () => ({}),
  },
];

describe("authorization on project-scoped endpoints", () => {
  let server: TestServer;
  let owner: TestUser;
  let member: TestUser;
  let stranger: TestUser;
  let ids: Ids;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await registerUser(server);
    member = await registerUser(server);
    stranger = await registerUser(server);
    const created = await server.api("POST", "/projects", {
      token: owner.access_token,
      body: {
        name: "Private",
        repositories: [{ id: 77, name: "secret", full_name: "acme/secret", language: "TypeScript" }],
      },
    });
    expect(created.status).toBe(200);
    await addMember(server, owner.access_token, created.body.id, member, "maintainer");
    const agents = await server.api("GET", `/projects/${created.body.id}/agents`, {
      token: owner.access_token,
    });
    ids = {
      projectId: created.body.id,
      agentId: agents.body.items[0].id,
      repoId: created.body.repositories[0].id,
      memberId: member.user.id,
      outsiderId: stranger.user.id,
    };
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each(ENDPOINTS)("a non-member gets 404 on $name", async (endpoint) => {
    const res = await server.api(endpoint.method, endpoint.path(ids), {
      token: stranger.access_token,
      body: endpoint.body?.(ids),
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
    expect(res.body.error.requestId).toEqual(expect.any(String));
  });

  it.each(ENDPOINTS)("no token gets 401 on $name", async (endpoint) => {
    const res = await server.api(endpoint.method, endpoint.path(ids), { body: endpoint.body?.(ids) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHORIZED");
  });

  it("a bad token gets 401", async () => {
    const res = await server.api("GET", `/projects/${ids.projectId}`, { token: "not-a-real-token" });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHORIZED");
  });

  it("a non-member's 404 looks the same as for a project that does not exist", async () => {
    const real = await server.api("GET", `/projects/${ids.projectId}`, { token: stranger.access_token });
    const fake = await server.api("GET", "/projects/01900000-0000-7000-8000-000000000000", {
      token: stranger.access_token,
    });
    expect(real.status).toBe(fake.status);
    expect(real.body.error.code).toBe(fake.body.error.code);
    expect(real.body.error.message).toBe(fake.body.error.message);
  });

  it("changed nothing: the project, its members, repositories and agents are intact", async () => {
    const project = await server.api("GET", `/projects/${ids.projectId}`, { token: owner.access_token });
    expect(project.status).toBe(200);
    expect(project.body.name).toBe("Private");
    expect(project.body.repositories.map((r: { fullName: string }) => r.fullName)).toEqual(["acme/secret"]);
    const roles = Object.fromEntries(
      project.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role]),
    );
    expect(roles).toEqual({ [owner.user.id]: "owner", [member.user.id]: "maintainer" });
    const agents = await server.api("GET", `/projects/${ids.projectId}/agents`, {
      token: owner.access_token,
    });
    expect(agents.body.items).toHaveLength(6);
    const agent = agents.body.items.find((a: { id: string }) => a.id === ids.agentId);
    expect(agent.name).not.toBe("Renamed");
    expect(agent.status).toBe("idle");
  });

  it("the owner's project is not in a stranger's list", async () => {
    const res = await server.api("GET", "/projects", { token: stranger.access_token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { id: string }) => p.id)).not.toContain(ids.projectId);
    expect(res.body.total).toBe(0);
    const search = await server.api("GET", "/projects?search=Private", { token: stranger.access_token });
    expect(search.body.items).toEqual([]);
  });

  it("GET /projects needs a token", async () => {
    const res = await server.api("GET", "/projects");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHORIZED");
  });
});
