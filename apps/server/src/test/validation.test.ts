import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer } from "./harness";

type Ids = { projectId: string; agentId: string; memberId: string };
type Case = {
  name: string;
  method: string;
  path: (ids: Ids) => string;
  body?: unknown;
  /** Field names that must all appear in error.details. */
  fields: string[];
};

const repo = { id: 1, name: "web", full_name: "acme/web", language: "TypeScript" };
const agent = {
  name: "Agent",
  role: "reviewer",
  modelConfig: { model: "claude-sonnet-4-5", temperature: 0.5, maxTokens: 1000 },
};
const model = {
  id: "test-model",
  provider: "test",
  displayName: "Test model",
  inputCostPerMTok: 1,
  outputCostPerMTok: 2,
  contextWindow: 100_000,
  maxOutputTokens: 8000,
};

const p = (i: Ids) => `/projects/${i.projectId}`;

const CASES: Case[] = [
  // GET /projects
  { name: "list: limit over 100", method: "GET", path: () => "/projects?limit=101", fields: ["limit"] },
  { name: "list: page 0", method: "GET", path: () => "/projects?page=0", fields: ["page"] },
  { name: "list: limit not a number", method: "GET", path: () => "/projects?limit=lots", fields: ["limit"] },
  {
    name: "list: unknown status",
    method: "GET",
    path: () => "/projects?status=sleeping",
    fields: ["status"],
  },
  { name: "list: unknown type", method: "GET", path: () => "/projects?type=spaceship", fields: ["type"] },
  {
    name: "list: isActive not a boolean",
    method: "GET",
    path: () => "/projects?isActive=maybe",
    fields: ["isActive"],
  },
  // POST /projects
  { name: "create: no name", method: "POST", path: () => "/projects", body: {}, fields: ["name"] },
  {
    name: "create: blank name",
    method: "POST",
    path: () => "/projects",
    body: { name: "   " },
    fields: ["name"],
  },
  {
    name: "create: name too long",
    method: "POST",
    path: () => "/projects",
    body: { name: "x".repeat(101) },
    fields: ["name"],
  },
  {
    name: "create: bad colour, type and status",
    method: "POST",
    path: () => "/projects",
    body: { name: "A", color: "blueish", type: "spaceship", status: "sleeping" },
    fields: ["color", "type", "status"],
  },
  {
    name: "create: repository without full_name",
    method: "POST",
    path: () => "/projects",
    body: { name: "A", repositories: [{ name: "web" }] },
    fields: ["repositories.0.full_name"],
  },
  {
    name: "create: repository with a malformed full_name and clone_url",
    method: "POST",
    path: () => "/projects",
    body: { name: "A", repositories: [repo, { ...repo, full_name: "no-slash", clone_url: "not a url" }] },
    fields: ["repositories.1.full_name", "repositories.1.clone_url"],
  },
  {
    name: "create: repository type unknown",
    method: "POST",
    path: () => "/projects",
    body: { name: "A", repositories: [{ ...repo, type: "desktop" }] },
    fields: ["repositories.0.type"],
  },
  {
    name: "create: the same repository twice",
    method: "POST",
    path: () => "/projects",
    body: { name: "A", repositories: [repo, repo] },
    fields: ["repositories.1.full_name"],
  },
  {
    name: "create: repositories not an array",
    method: "POST",
    path: () => "/projects",
    body: { name: "A", repositories: "acme/web" },
    fields: ["repositories"],
  },
  // PATCH /projects/{id}
  { name: "patch: blank name", method: "PATCH", path: p, body: { name: "" }, fields: ["name"] },
  {
    name: "patch: isActive a string",
    method: "PATCH",
    path: p,
    body: { isActive: "yes" },
    fields: ["isActive"],
  },
  // A string is not a boolean: "false" must not be coerced to true.
  {
    name: "patch: isActive the string false",
    method: "PATCH",
    path: p,
    body: { isActive: "false" },
    fields: ["isActive"],
  },
  { name: "patch: bad status", method: "PATCH", path: p, body: { status: "done-ish" }, fields: ["status"] },
  { name: "patch: bad colour", method: "PATCH", path: p, body: { color: "#12" }, fields: ["color"] },
  {
    name: "patch: pipeline not an array",
    method: "PATCH",
    path: p,
    body: { pipeline: "a,b" },
    fields: ["pipeline"],
  },
  {
    name: "patch: pipeline with an empty id",
    method: "PATCH",
    path: p,
    body: { pipeline: [""] },
    fields: ["pipeline.0"],
  },
  {
    name: "patch: pipeline with an unknown agent",
    method: "PATCH",
    path: p,
    body: { pipeline: ["no-such-agent"] },
    fields: ["pipeline.0"],
  },
  {
    name: "patch: pipeline naming an agent twice",
    method: "PATCH",
    path: p,
    body: { pipeline: ["__agent__", "__agent__"] },
    fields: ["pipeline"],
  },
  // members
  {
    name: "add member: no role",
    method: "POST",
    path: (i) => `${p(i)}/members`,
    body: { userId: "x" },
    fields: ["role"],
  },
  {
    name: "add member: neither userId nor email",
    method: "POST",
    path: (i) => `${p(i)}/members`,
    body: { role: "viewer" },
    fields: ["userId"],
  },
  {
    name: "add member: bad email and role",
    method: "POST",
    path: (i) => `${p(i)}/members`,
    body: { email: "not-an-email", role: "god" },
    fields: ["email", "role"],
  },
  {
    name: "patch member: bad role",
    method: "PATCH",
    path: (i) => `${p(i)}/members/${i.memberId}`,
    body: { role: "superuser" },
    fields: ["role"],
  },
  {
    name: "patch member: no role",
    method: "PATCH",
    path: (i) => `${p(i)}/members/${i.memberId}`,
    body: {},
    fields: ["role"],
  },
  // repositories
  {
    name: "add repository: empty",
    method: "POST",
    path: (i) => `${p(i)}/repositories`,
    body: {},
    fields: ["name", "full_name"],
  },
  {
    name: "add repository: bad types",
    method: "POST",
    path: (i) => `${p(i)}/repositories`,
    body: { ...repo, id: -3, default_branch: "", private: "no", type: "desktop" },
    fields: ["id", "default_branch", "private", "type"],
  },
  // models (admin)
  {
    name: "create model: empty",
    method: "POST",
    path: () => "/models",
    body: {},
    fields: ["id", "provider", "displayName"],
  },
  {
    name: "create model: bad id and negative price",
    method: "POST",
    path: () => "/models",
    body: { ...model, id: "has spaces!", inputCostPerMTok: -1 },
    fields: ["id", "inputCostPerMTok"],
  },
  {
    name: "patch model: context window not an integer",
    method: "PATCH",
    path: () => "/models/claude-sonnet-4-5",
    body: { contextWindow: 1.5 },
    fields: ["contextWindow"],
  },
  {
    name: "list models: includeInactive not a boolean",
    method: "GET",
    path: () => "/models?includeInactive=perhaps",
    fields: ["includeInactive"],
  },
  // agents
  {
    name: "create agent: empty",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: {},
    fields: ["name", "role", "modelConfig"],
  },
  {
    name: "create agent: unknown role",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: { ...agent, role: "ceo" },
    fields: ["role"],
  },
  {
    name: "create agent: unknown model",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: { ...agent, modelConfig: { ...agent.modelConfig, model: "gpt-nope" } },
    fields: ["modelConfig.model"],
  },
  {
    name: "create agent: temperature 3",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: { ...agent, modelConfig: { ...agent.modelConfig, temperature: 3 } },
    fields: ["modelConfig.temperature"],
  },
  {
    name: "create agent: negative temperature",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: { ...agent, modelConfig: { ...agent.modelConfig, temperature: -0.1 } },
    fields: ["modelConfig.temperature"],
  },
  {
    name: "create agent: maxTokens 50",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: { ...agent, modelConfig: { ...agent.modelConfig, maxTokens: 50 } },
    fields: ["modelConfig.maxTokens"],
  },
  {
    name: "create agent: maxTokens over 128000",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: { ...agent, modelConfig: { ...agent.modelConfig, maxTokens: 128_001 } },
    fields: ["modelConfig.maxTokens"],
  },
  {
    name: "create agent: maxTokens over the model's limit",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: { ...agent, modelConfig: { model: "claude-opus-4-1", temperature: 0, maxTokens: 40_000 } },
    fields: ["modelConfig.maxTokens"],
  },
  {
    name: "create agent: rules file outside the repository",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: { ...agent, rulesFilePath: "../../etc/passwd" },
    fields: ["rulesFilePath"],
  },
  {
    name: "create agent: absolute rules file path",
    method: "POST",
    path: (i) => `${p(i)}/agents`,
    body: { ...agent, rulesFilePath: "/etc/passwd" },
    fields: ["rulesFilePath"],
  },
  {
    name: "patch agent: blank name and isActive a string",
    method: "PATCH",
    path: (i) => `${p(i)}/agents/${i.agentId}`,
    body: { name: "", isActive: "no" },
    fields: ["name", "isActive"],
  },
  {
    name: "patch agent: temperature 3",
    method: "PATCH",
    path: (i) => `${p(i)}/agents/${i.agentId}`,
    body: { modelConfig: { temperature: 3 } },
    fields: ["modelConfig.temperature"],
  },
  {
    name: "patch agent: unknown model",
    method: "PATCH",
    path: (i) => `${p(i)}/agents/${i.agentId}`,
    body: { modelConfig: { model: "gpt-nope" } },
    fields: ["modelConfig.model"],
  },
];

describe("input validation", () => {
  let server: TestServer;
  let token: string;
  let ids: Ids;

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await registerUser(server);
    token = admin.access_token;
    const member = await registerUser(server);
    const created = await server.api("POST", "/projects", { token, body: { name: "Validated" } });
    await addMember(server, token, created.body.id, member, "viewer");
    const agents = await server.api("GET", `/projects/${created.body.id}/agents`, { token });
    ids = { projectId: created.body.id, agentId: agents.body.items[0].id, memberId: member.user.id };
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each(CASES)("$name → 400 naming $fields", async ({ method, path, body, fields }) => {
    const resolved = JSON.parse(JSON.stringify(body ?? null).replaceAll("__agent__", ids.agentId));
    const res = await server.api(method, path(ids), {
      token,
      body: body === undefined ? undefined : resolved,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(res.body.error.requestId).toBe(res.headers.get("x-request-id"));
    const reported = (res.body.error.details as Array<{ field: string; message: string }>).map(
      (d) => d.field,
    );
    for (const field of fields) expect(reported).toContain(field);
    for (const detail of res.body.error.details) expect(detail.message).toEqual(expect.any(String));
  });

  it("nothing was changed by the refused requests", async () => {
    const project = await server.api("GET", `/projects/${ids.projectId}`, { token });
    expect(project.body).toMatchObject({ name: "Validated", pipeline: [], repositories: [] });
    const list = await server.api("GET", "/projects", { token });
    expect(list.body.total).toBe(1);
    const models = await server.api("GET", "/models?includeInactive=true", { token });
    expect(models.body.items.map((m: { id: string }) => m.id)).not.toContain("test-model");
  });

  type ErrorBody = { error: { code: string; requestId: string; details?: Array<{ field: string }> } };
  const errorOf = async (res: Response) => (await res.json()) as ErrorBody;

  const raw = (method: string, path: string, body: string, contentType = "application/json") =>
    fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": contentType },
      body,
    });

  it.each([
    ["POST", "/projects"],
    ["PATCH", "/projects/{id}"],
    ["POST", "/projects/{id}/agents"],
  ])("a body that is not JSON → 400 on %s %s", async (method, path) => {
    const res = await raw(method, path.replace("{id}", ids.projectId), '{"name": "Broken",');
    expect(res.status).toBe(400);
    const body = await errorOf(res);
    expect(body.error.code).toBe("VALIDATION_ERROR");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("a JSON array where an object is expected → 400", async () => {
    const res = await raw("POST", "/projects", '["Shop"]');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).error.code).toBe("VALIDATION_ERROR");
  });

  it("a JSON body over 1 MiB → 413 PAYLOAD_TOO_LARGE", async () => {
    const big = JSON.stringify({ name: "Big", description: "x".repeat(1024 * 1024 + 10) });
    const res = await raw("POST", "/projects", big);
    expect(res.status).toBe(413);
    const body = await errorOf(res);
    expect(body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.requestId).toEqual(expect.any(String));
  });

  it("a JSON body just under 1 MiB is read (and then validated)", async () => {
    const body = JSON.stringify({ name: "Big", description: "x".repeat(1000 * 1000) });
    const res = await raw("POST", "/projects", body);
    expect(res.status).toBe(400);
    const json = await errorOf(res);
    expect(json.error.details?.map((d: { field: string }) => d.field)).toContain("description");
  });
});
