// The cross-cutting guards of §1 that every route passes: Idempotency-Key, CSRF, the general rate limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer } from "./harness";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
});
afterAll(() => server?.stop());

const projectCount = async (token: string) => (await server.api("GET", "/projects", { token })).body.total;

describe("Idempotency-Key on POST", () => {
  it("replays the first response to a retry and never runs the handler twice", async () => {
    const u = await registerUser(server);
    const headers = { "idempotency-key": "create-project-1" };
    const first = await server.api("POST", "/projects", {
      token: u.access_token,
      headers,
      body: { name: "Apollo" },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const retry = await server.api("POST", "/projects", {
      token: u.access_token,
      headers,
      body: { name: "Apollo" },
    });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(await projectCount(u.access_token)).toBe(1);
  });

  it("treats the same body with its keys in another order as the same request", async () => {
    const u = await registerUser(server);
    const headers = { "idempotency-key": "reordered" };
    const first = await server.api("POST", "/projects", {
      token: u.access_token,
      headers,
      body: { name: "Order", description: "same" },
    });
    const retry = await server.api("POST", "/projects", {
      token: u.access_token,
      headers,
      body: { description: "same", name: "Order" },
    });
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
  });

  it("answers 409 CONFLICT to the same key with a different body, and stores nothing", async () => {
    const u = await registerUser(server);
    const headers = { "idempotency-key": "reused" };
    await server.api("POST", "/projects", { token: u.access_token, headers, body: { name: "One" } });
    const other = await server.api("POST", "/projects", {
      token: u.access_token,
      headers,
      body: { name: "Two" },
    });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("CONFLICT");
    expect(other.body.error.requestId).toBeTruthy();
    expect(await projectCount(u.access_token)).toBe(1);
  });

  it("runs concurrent identical requests once: the others replay or are told it is in progress", async () => {
    const u = await registerUser(server);
    const headers = { "idempotency-key": "concurrent" };
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        server.api("POST", "/projects", { token: u.access_token, headers, body: { name: "Race" } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const created = new Set(responses.filter((r) => r.status === 200).map((r) => r.body.id));
    expect(created.size).toBe(1);
    for (const r of responses.filter((r) => r.status === 409)) {
      expect(r.body.error.code).toBe("CONFLICT");
    }
    expect(await projectCount(u.access_token)).toBe(1);

    // Once the first has finished, a late retry replays it.
    const late = await server.api("POST", "/projects", {
      token: u.access_token,
      headers,
      body: { name: "Race" },
    });
    expect(late.status).toBe(200);
    expect(created.has(late.body.id)).toBe(true);
  });

  it("keeps keys per user: another user's identical key runs for them", async () => {
    const a = await registerUser(server);
    const b = await registerUser(server);
    const headers = { "idempotency-key": "shared-key" };
    const ra = await server.api("POST", "/projects", { token: a.access_token, headers, body: { name: "A" } });
    const rb = await server.api("POST", "/projects", { token: b.access_token, headers, body: { name: "A" } });
    expect(rb.status).toBe(200);
    expect(rb.body.id).not.toBe(ra.body.id);
    expect(rb.headers.get("idempotent-replayed")).toBeNull();
  });

  it("replays a stored error, but forgets a request that failed validation", async () => {
    const u = await registerUser(server);
    const missing = "01900000-0000-7000-8000-000000000000";
    const first = await server.api("POST", `/projects/${missing}/agents/${missing}/pause`, {
      token: u.access_token,
      headers: { "idempotency-key": "pause-missing" },
    });
    expect(first.status).toBe(404);
    const again = await server.api("POST", `/projects/${missing}/agents/${missing}/pause`, {
      token: u.access_token,
      headers: { "idempotency-key": "pause-missing" },
    });
    expect(again.status).toBe(404);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.error.code).toBe("RESOURCE_NOT_FOUND");

    const bad = await server.api("POST", "/projects", {
      token: u.access_token,
      headers: { "idempotency-key": "fix-and-retry" },
      body: { name: "" },
    });
    expect(bad.status).toBe(400);
    const fixed = await server.api("POST", "/projects", {
      token: u.access_token,
      headers: { "idempotency-key": "fix-and-retry" },
      body: { name: "Fixed" },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.name).toBe("Fixed");
  });

  it("applies to tRPC mutations too, sharing keys with REST", async () => {
    const u = await registerUser(server);
    const call = () =>
      fetch(`${server.url}/trpc/projects.create`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${u.access_token}`,
          "content-type": "application/json",
          "idempotency-key": "trpc-key",
        },
        body: JSON.stringify({ name: "Via tRPC" }),
      }).then(async (r) => ({
        status: r.status,
        headers: r.headers,
        body: (await r.json()) as { result: { data: { id: string } } },
      }));
    const first = await call();
    const second = await call();
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body.result.data.id).toBe(first.body.result.data.id);
    expect(await projectCount(u.access_token)).toBe(1);
  });

  const storedRows = async (userId: string) =>
    (
      await server.deps.db.$client.execute({
        sql: "select key, status_code, response_body from idempotency_keys where user_id = ?",
        args: [userId],
      })
    ).rows as unknown as Array<{ key: string; status_code: number | null; response_body: string | null }>;

  it("keeps what it stores sealed: no plain JSON in the table, and the replay is still the first response", async () => {
    const u = await registerUser(server);
    const headers = { "idempotency-key": "sealed-1" };
    const body = { name: "Sealed name", description: "nobody reads this from the database" };
    const first = await server.api("POST", "/projects", { token: u.access_token, headers, body });
    const [row] = await storedRows(u.user.id);
    expect(row?.status_code).toBe(200);
    expect(row?.response_body).toMatch(/^v1\./);
    expect(row?.response_body).not.toContain("Sealed name");
    expect(() => JSON.parse(row?.response_body ?? "")).toThrow();
    const retry = await server.api("POST", "/projects", { token: u.access_token, headers, body });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
  });

  it("never stores an API key's secret: a retry is a 409 that says why, before and after the key is deleted", async () => {
    const u = await registerUser(server);
    const headers = { "idempotency-key": "create-key-1" };
    const created = await server.api("POST", "/api-keys", {
      token: u.access_token,
      headers,
      body: { name: "ci" },
    });
    expect(created.status).toBe(200);
    const secret: string = created.body.key;
    expect(secret.length).toBeGreaterThan(16);

    const rows = await storedRows(u.user.id);
    expect(rows).toHaveLength(1);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(secret.slice(-12));

    const retry = await server.api("POST", "/api-keys", {
      token: u.access_token,
      headers,
      body: { name: "ci" },
    });
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe("CONFLICT");
    expect(retry.body.error.message).toMatch(/secret/);
    expect(JSON.stringify(retry.body)).not.toContain(secret);
    // It ran once: one key, not two.
    expect((await server.api("GET", "/api-keys", { token: u.access_token })).body.items).toHaveLength(1);

    await server.api("DELETE", `/api-keys/${created.body.id}`, { token: u.access_token });
    const afterDelete = await server.api("POST", "/api-keys", {
      token: u.access_token,
      headers,
      body: { name: "ci" },
    });
    expect(afterDelete.status).toBe(409);
    expect(JSON.stringify(afterDelete.body)).not.toContain(secret);
  });

  it("never stores a TOTP seed or backup codes from enabling two-factor sign-in", async () => {
    const u = await registerUser(server);
    const headers = { "idempotency-key": "enable-2fa" };
    const body = { password: u.password };
    const enabled = await server.api("POST", "/auth/2fa/enable", { token: u.access_token, headers, body });
    expect(enabled.status).toBe(200);
    const seed = new URL(enabled.body.totpUri).searchParams.get("secret") as string;
    const everything = JSON.stringify(await storedRows(u.user.id));
    expect(everything).not.toContain(seed);
    for (const code of enabled.body.backupCodes as string[]) expect(everything).not.toContain(code);
    const retry = await server.api("POST", "/auth/2fa/enable", { token: u.access_token, headers, body });
    expect(retry.status).toBe(409);
    expect(JSON.stringify(retry.body)).not.toContain(seed);
  });

  it("refuses a malformed key with 400", async () => {
    const u = await registerUser(server);
    const res = await server.api("POST", "/projects", {
      token: u.access_token,
      headers: { "idempotency-key": "x".repeat(300) },
      body: { name: "Too long a key" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(await projectCount(u.access_token)).toBe(0);
  });
});

describe("CSRF double-submit for cookie sessions", () => {
  async function cookieSession() {
    const u = await registerUser(server);
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: u.email, password: u.password }),
    });
    const cookies = signIn.headers.getSetCookie().map((c) => c.split(";")[0] ?? "");
    const csrf = cookies.find((c) => c.startsWith("csrf_access_token="))?.split("=")[1];
    return { u, cookie: cookies.join("; "), csrf };
  }

  it("hands browsers a readable CSRF cookie", async () => {
    const res = await fetch(`${server.url}/health`);
    const set = res.headers.getSetCookie().find((c) => c.startsWith("csrf_access_token="));
    expect(set).toBeDefined();
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).not.toMatch(/HttpOnly/i);
  });

  it("accepts a cookie write that echoes the cookie in X-CSRF-Token, and refuses a wrong echo", async () => {
    const { cookie, csrf } = await cookieSession();
    expect(csrf).toBeTruthy();
    const ok = await server.api("POST", "/projects", {
      headers: { cookie, "x-csrf-token": csrf ?? "" },
      body: { name: "Double submit" },
    });
    expect(ok.status).toBe(200);

    const wrong = await server.api("POST", "/projects", {
      headers: { cookie, "x-csrf-token": "forged" },
      body: { name: "Forged" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("FORBIDDEN");

    const none = await server.api("POST", "/projects", { headers: { cookie }, body: { name: "Bare" } });
    expect(none.status).toBe(403);
  });

  it("does not ask bearer-token clients for CSRF proof", async () => {
    const u = await registerUser(server);
    const res = await server.api("POST", "/projects", { token: u.access_token, body: { name: "API" } });
    expect(res.status).toBe(200);
  });
});

describe("general per-user rate limit", () => {
  it("counts every authenticated call, reports it in headers, and answers 429 with Retry-After", async () => {
    const s = await startTestServer({ RATE_LIMIT_GENERAL_PER_MINUTE: "5" });
    try {
      const u = await registerUser(s);
      const other = await registerUser(s);
      const seen = [];
      for (let i = 0; i < 5; i++) seen.push(await s.api("GET", "/projects", { token: u.access_token }));
      expect(seen.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(seen[0]?.headers.get("x-ratelimit-limit")).toBe("5");
      expect(seen.map((r) => r.headers.get("x-ratelimit-remaining"))).toEqual(["4", "3", "2", "1", "0"]);
      expect(Number(seen[0]?.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);

      const limited = await s.api("POST", "/projects", { token: u.access_token, body: { name: "Too many" } });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe("RATE_LIMIT_EXCEEDED");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

      // Per user: someone else is unaffected.
      expect((await s.api("GET", "/projects", { token: other.access_token })).status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});
