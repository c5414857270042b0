// API key scopes and project restriction: what a key may do is decided for every procedure at the root,
// from the procedure's kind (read or write), whether it needs a person's session, and the key's project.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("API key scopes", () => {
  let server: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
    admin = await registerUser(server); // the first account administers the site
  });
  afterAll(async () => {
    await server.stop();
  });

  const createKey = async (token: string, body: Record<string, unknown>) => {
    const res = await server.api("POST", "/api-keys", { token, body: { name: "k", ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { id: string; key: string; scopes: string[]; projectId: string | null };
  };
  const createProject = async (token: string, name: string) => {
    const res = await server.api("POST", "/projects", { token, body: { name } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.id as string;
  };

  it("gives a new key read and write by default, and lists its scopes and project", async () => {
    const u = await registerUser(server);
    const key = await createKey(u.access_token, {});
    expect(key.scopes).toEqual(["read", "write"]);
    expect(key.projectId).toBeNull();
    const list = await server.api("GET", "/api-keys", { token: u.access_token });
    expect(list.body.items[0]).toMatchObject({ id: key.id, scopes: ["read", "write"], projectId: null });
  });

  it("lets a read-only key read but not change anything", async () => {
    const u = await registerUser(server);
    const key = await createKey(u.access_token, { scopes: ["read"] });
    expect((await server.api("GET", "/projects", { apiKey: key.key })).status).toBe(200);
    const post = await server.api("POST", "/projects", { apiKey: key.key, body: { name: "nope" } });
    expect(post.status).toBe(403);
    expect(post.body.error.code).toBe("FORBIDDEN");
    expect(post.body.error.message).toContain("'write' scope");
    const patch = await server.api("PATCH", "/auth/me", { apiKey: key.key, body: { name: "Changed" } });
    expect(patch.status).toBe(403);
    // The raw routes (uploads) follow the same rule.
    const form = new FormData();
    form.append("file", new Blob(["hello"], { type: "text/plain" }), "hello.txt");
    const upload = await fetch(`${server.url}/api/v1/files`, {
      method: "POST",
      headers: { "x-api-key": key.key },
      body: form,
    });
    expect(upload.status).toBe(403);
  });

  it("needs a session, not a key, to manage keys, sessions, the second factor, export or deletion", async () => {
    const u = await registerUser(server);
    const key = await createKey(u.access_token, { scopes: ["read", "write"] });
    const attempts: [string, string, unknown?][] = [
      ["GET", "/api-keys"],
      ["POST", "/api-keys", { name: "minted" }],
      ["DELETE", `/api-keys/${key.id}`],
      ["GET", "/auth/sessions"],
      ["POST", "/auth/2fa/enable", { password: u.password }],
      ["POST", "/auth/2fa/disable", { password: u.password }],
      ["GET", "/users/me/export"],
      ["DELETE", "/users/me"],
      ["POST", "/auth/logout", { allDevices: true }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await server.api(method, path, { apiKey: key.key, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.message, `${method} ${path}`).toMatch(/session/);
    }
    // Nothing happened: the account, its one key and its session are all still there.
    const keys = await server.api("GET", "/api-keys", { token: u.access_token });
    expect(keys.body.items).toHaveLength(1);
    expect((await server.api("GET", "/auth/me", { token: u.access_token })).status).toBe(200);
  });

  it("gives a key its owner's admin role only with the admin scope, which only admins may grant", async () => {
    const plain = await createKey(admin.access_token, {});
    const byPlain = await server.api("GET", "/admin/users", { apiKey: plain.key });
    expect(byPlain.status).toBe(403);
    const adminKey = await createKey(admin.access_token, { scopes: ["read", "admin"] });
    expect((await server.api("GET", "/admin/users", { apiKey: adminKey.key })).status).toBe(200);

    const u = await registerUser(server);
    const refused = await server.api("POST", "/api-keys", {
      token: u.access_token,
      body: { name: "escalate", scopes: ["read", "admin"] },
    });
    expect(refused.status).toBe(403);
  });

  it("limits a project key to its project: the owner's other projects and loose tasks are out of reach", async () => {
    const u = await registerUser(server);
    const mine = await createProject(u.access_token, "Allowed");
    const other = await createProject(u.access_token, "Other");
    const key = await createKey(u.access_token, { projectId: mine });
    expect(key.projectId).toBe(mine);

    const list = await server.api("GET", "/projects", { apiKey: key.key });
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([mine]);
    expect((await server.api("GET", `/projects/${mine}`, { apiKey: key.key })).status).toBe(200);
    const hidden = await server.api("GET", `/projects/${other}`, { apiKey: key.key });
    expect(hidden.status).toBe(404);
    const patch = await server.api("PATCH", `/projects/${other}`, {
      apiKey: key.key,
      body: { name: "Hacked" },
    });
    expect(patch.status).toBe(404);

    // A task in the other project, and one in no project, exist for the owner but not for the key.
    const otherTask = await server.api("POST", "/tasks", {
      token: u.access_token,
      body: { projectId: other, title: "elsewhere" },
    });
    expect(otherTask.status, JSON.stringify(otherTask.body)).toBe(200);
    const ownTask = await server.api("POST", "/tasks", {
      token: u.access_token,
      body: { projectId: mine, title: "here" },
    });
    expect(ownTask.status).toBe(200);
    const loose = await server.api("POST", "/tasks", { token: u.access_token, body: { title: "loose" } });
    expect(loose.status, JSON.stringify(loose.body)).toBe(200);
    expect((await server.api("GET", `/tasks/${loose.body.id}`, { apiKey: key.key })).status).toBe(404);
    const tasks = await server.api("GET", "/tasks", { apiKey: key.key });
    expect(tasks.body.items.map((t: { id: string }) => t.id)).toEqual([ownTask.body.id]);
    expect((await server.api("GET", `/tasks/${otherTask.body.id}`, { apiKey: key.key })).status).toBe(404);
    expect((await server.api("GET", `/tasks/${ownTask.body.id}`, { apiKey: key.key })).status).toBe(200);

    // A key can only be limited to a project its owner can see, and never with the admin scope.
    const stranger = await registerUser(server);
    const foreign = await server.api("POST", "/api-keys", {
      token: stranger.access_token,
      body: { name: "k", projectId: mine },
    });
    expect(foreign.status).toBe(404);
  });

  it("streams a project key its project's events only", async () => {
    const u = await registerUser(server);
    const mine = await createProject(u.access_token, "Streamed");
    const other = await createProject(u.access_token, "Quiet");
    const key = await createKey(u.access_token, { projectId: mine });
    const conversationIn = async (projectId: string) =>
      (await server.api("POST", "/conversations", { token: u.access_token, body: { title: "c", projectId } }))
        .body.id as string;
    const [here, there] = [await conversationIn(mine), await conversationIn(other)];

    const controller = new AbortController();
    const stream = await fetch(`${server.url}/api/v1/events`, {
      headers: { "x-api-key": key.key },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const say = (conversationId: string, content: string) =>
      server.api("POST", `/conversations/${conversationId}/messages`, {
        token: u.access_token,
        body: { content },
      });
    await say(there, "whispered elsewhere");
    await say(here, "said here");
    let received = "";
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    while (!received.includes("said here")) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value;
    }
    controller.abort();
    expect(received).toContain("said here");
    expect(received).not.toContain("whispered elsewhere");
  });

  it("files a project key's upload under its project, so the key can read it back and attach it there", async () => {
    const u = await registerUser(server);
    const mine = await createProject(u.access_token, "Uploads");
    const key = await createKey(u.access_token, { projectId: mine });
    const form = new FormData();
    form.append("file", new Blob(["notes for the crew"], { type: "text/plain" }), "notes.txt");
    const upload = await fetch(`${server.url}/api/v1/files`, {
      method: "POST",
      headers: { "x-api-key": key.key },
      body: form,
    });
    expect(upload.status).toBe(201);
    const file = (await upload.json()) as { id: string };

    const download = await fetch(`${server.url}/api/v1/files/${file.id}`, {
      headers: { "x-api-key": key.key },
    });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe("notes for the crew");
    const conversation = await server.api("POST", "/conversations", {
      apiKey: key.key,
      body: { title: "with a file", projectId: mine },
    });
    expect(conversation.status, JSON.stringify(conversation.body)).toBe(200);
    const message = await server.api("POST", `/conversations/${conversation.body.id}/messages`, {
      apiKey: key.key,
      body: { content: "see the notes", attachmentIds: [file.id] },
    });
    expect(message.status, JSON.stringify(message.body)).toBe(200);
  });

  it("revokes every API key with logout from all devices", async () => {
    const u = await registerUser(server);
    const key = await createKey(u.access_token, {});
    expect((await server.api("GET", "/auth/me", { apiKey: key.key })).status).toBe(200);
    const out = await server.api("POST", "/auth/logout", {
      token: u.access_token,
      body: { allDevices: true },
    });
    expect(out.status).toBe(200);
    expect((await server.api("GET", "/auth/me", { apiKey: key.key })).status).toBe(401);
  });
});

describe("a bad API key in the server log", () => {
  const logged: { level: "info" | "error"; message: string }[] = [];
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(
      {},
      {
        logger: {
          info: (message) => void logged.push({ level: "info", message }),
          error: (message) => void logged.push({ level: "error", message }),
        },
      },
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  it("is the client's mistake, a 401, never an error line of the server's", async () => {
    const u = await registerUser(server);
    const created = await server.api("POST", "/api-keys", { token: u.access_token, body: { name: "old" } });
    await server.api("DELETE", `/api-keys/${created.body.id}`, { token: u.access_token });
    logged.length = 0;
    for (const key of ["not-a-key", `${created.body.key}x`, created.body.key]) {
      const res = await server.api("GET", "/auth/me", { apiKey: key });
      expect(res.status, key).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHORIZED");
    }
    expect(logged.filter((line) => line.level === "error")).toEqual([]);
    // better-auth's own line came through the server's logger (so LOG_LEVEL governs it), as information.
    const lines = logged.filter((line) => line.message.startsWith("better-auth: Failed to validate API key"));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.every((line) => line.level === "info")).toBe(true);
    expect(JSON.stringify(logged)).not.toContain(created.body.key);
  });
});
