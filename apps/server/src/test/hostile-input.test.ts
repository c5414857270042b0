// Input that is valid JSON but hostile: empty patches, NUL characters, unbounded preferences, huge tRPC
// batches. Each answers a clear 4xx in the contract's shape and stores nothing, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer } from "./harness";

let server: TestServer;
let token: string;
/** The caller's own resources, by the path parameter that names them. */
let owned: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000" });
  const admin = await registerUser(server); // the first account is the administrator
  token = admin.access_token;
  const t = { token };
  const project = (
    await server.api("POST", "/projects", {
      ...t,
      body: { name: "Mine", repositories: [{ name: "api", full_name: "me/api", language: "TypeScript" }] },
    })
  ).body;
  const agents = (await server.api("GET", `/projects/${project.id}/agents`, t)).body;
  const task = (await server.api("POST", "/tasks", { ...t, body: { title: "T", projectId: project.id } }))
    .body;
  const conversation = (
    await server.api("POST", "/conversations", { ...t, body: { title: "C", projectId: project.id } })
  ).body;
  const limit = (
    await server.api("POST", "/budget/limits", {
      ...t,
      body: { name: "Cap", scopeType: "project", scopeId: project.id, amountUsd: 5, period: "daily" },
    })
  ).body;
  const models = (await server.api("GET", "/models", t)).body;
  owned = {
    projectId: project.id,
    pid: project.id,
    agentId: agents.items[0].id,
    taskId: task.id,
    conversationId: conversation.id,
    limitId: limit.id,
    userId: admin.user.id,
    modelId: models.items[0].id,
    repositoryId: project.repositories[0].id,
    provider: "anthropic",
  };
});
afterAll(() => server?.stop());

/** A path of the document with its parameters filled from the caller's own resources. */
function fill(path: string): string | null {
  const segments = path.split("/");
  const filled = segments.map((segment, i) => {
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    if (!param) return segment;
    if (param !== "id") return owned[param] ?? null;
    const byCollection: Record<string, string | undefined> = {
      projects: owned.projectId,
      agents: owned.agentId,
      tasks: owned.taskId,
      conversations: owned.conversationId,
      limits: owned.limitId,
      users: owned.userId,
      models: owned.modelId,
    };
    return byCollection[segments[i - 1] ?? ""] ?? null;
  });
  return filled.includes(null) ? null : filled.join("/");
}

describe("an update with nothing to change", () => {
  it("answers no PATCH or PUT of the document with a 500, and reads back the resource", async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const answers: string[] = [];
    let probed = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of ["patch", "put"]) {
        if (!item[method]) continue;
        const url = fill(path);
        expect(url, `no owned resource for ${path}`).not.toBeNull();
        const res = await server.api(method.toUpperCase(), url!, { token, body: {} });
        probed++;
        if (res.status >= 500)
          answers.push(`${method.toUpperCase()} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(answers).toEqual([]);
    expect(probed).toBeGreaterThanOrEqual(8);
  });

  it("PATCH /auth/me with {} answers 200 and the unchanged profile", async () => {
    const before = await server.api("GET", "/auth/me", { token });
    const res = await server.api("PATCH", "/auth/me", { token, body: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      id: before.body.id,
      name: before.body.name,
      username: before.body.username,
    });
  });
});

describe("NUL characters", () => {
  it("a project name with U+0000 → 400 naming the field, and no project is stored", async () => {
    const before = (await server.api("GET", "/projects", { token })).body.total;
    const res = await server.api("POST", "/projects", { token, body: { name: "Evil\u0000Twin" } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.details).toContainEqual({ field: "name", message: expect.any(String) });
    expect((await server.api("GET", "/projects", { token })).body.total).toBe(before);
  });

  it("a message with U+0000 deep in the body → 400 naming its path, and no message is stored", async () => {
    const path = `/conversations/${owned.conversationId}/messages`;
    const res = await server.api("POST", path, { token, body: { content: "hello\u0000world" } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.details).toContainEqual({ field: "content", message: expect.any(String) });
    const nested = await server.api("PATCH", "/auth/me", {
      token,
      body: { preferences: { theme: { name: "da\u0000rk" } } },
    });
    expect(nested.status).toBe(400);
    expect(nested.body.error.details).toContainEqual({
      field: "preferences.theme.name",
      message: expect.any(String),
    });
    expect((await server.api("GET", path, { token })).body.items).toEqual([]);
  });

  it("a NUL in a query string and through tRPC is refused too", async () => {
    const query = await server.api("GET", `/tasks?search=${encodeURIComponent("a\u0000b")}`, { token });
    expect(query.status).toBe(400);
    const trpc = await fetch(`${server.url}/trpc/projects.create`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "tRPC\u0000" }),
    });
    expect(trpc.status).toBe(400);
    const body = (await trpc.json()) as { error: { data: { error: { code: string } } } };
    expect(body.error.data.error.code).toBe("VALIDATION_ERROR");
  });
});

describe("NUL characters in a multipart form", () => {
  it("the task start's instructions with U+0000 → 400 naming the field, and no run starts", async () => {
    const before = await server.api("GET", `/tasks/${owned.taskId}`, { token });
    const form = new FormData();
    form.append("instructions", "ship it\u0000 now");
    const res = await fetch(`${server.url}/api/v1/tasks/${owned.taskId}/start`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: unknown[] } };
    expect(body.error.code).toBe("VALIDATION_ERROR");
    expect(body.error.details).toContainEqual({ field: "instructions", message: expect.any(String) });
    const task = await server.api("GET", `/tasks/${owned.taskId}`, { token });
    expect(task.body.status).toBe(before.body.status);
  });
});

describe("preferences", () => {
  const nest = (depth: number): unknown => (depth === 0 ? "leaf" : { d: nest(depth - 1) });

  it("nesting deeper than 8 levels → 400 VALIDATION_ERROR, and nothing is stored", async () => {
    const ok = await server.api("PATCH", "/auth/me", { token, body: { preferences: { shallow: nest(7) } } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const res = await server.api("PATCH", "/auth/me", { token, body: { preferences: { deep: nest(9) } } });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.details).toContainEqual({ field: "preferences", message: expect.any(String) });
    const me = await server.api("GET", "/auth/me", { token });
    expect(me.body.preferences.deep).toBeUndefined();
  });

  it("a very deep body (100,000 levels) is a 400, not a 500", async () => {
    const deep = `{"preferences":{"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    const res = await fetch(`${server.url}/api/v1/auth/me`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: deep,
    });
    expect(res.status).toBe(400);
  });

  it("over 16 KiB, in one request or grown by many, → 400 VALIDATION_ERROR", async () => {
    const big = await server.api("PATCH", "/auth/me", {
      token,
      body: { preferences: { notes: "x".repeat(17 * 1024) } },
    });
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe("VALIDATION_ERROR");
    // Each patch merges into what is stored: many small ones must not add up past the bound either.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await server.api("PATCH", "/auth/me", {
        token,
        body: { preferences: { [`part${i}`]: "y".repeat(3 * 1024) } },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[5]).toBe(400);
    const me = await server.api("GET", "/auth/me", { token });
    expect(JSON.stringify(me.body.preferences).length).toBeLessThanOrEqual(16 * 1024);
    expect(me.body.preferences.part5).toBeUndefined();
  });
});

describe("tRPC batches", () => {
  const batch = (n: number) => {
    const paths = Array.from({ length: n }, () => "health.check").join(",");
    return fetch(`${server.url}/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`);
  };

  it("a batch of 100 procedures → 400 VALIDATION_ERROR; a batch of 10 runs", async () => {
    const big = await batch(100);
    expect(big.status).toBe(400);
    const body = (await big.json()) as { error: { data: { error: { code: string; message: string } } } };
    expect(body.error.data.error).toMatchObject({
      code: "VALIDATION_ERROR",
      message: expect.stringMatching(/batch/i),
    });
    const small = await batch(10);
    expect(small.status).toBe(200);
    const results = (await small.json()) as unknown[];
    expect(results).toHaveLength(10);
  });
});
