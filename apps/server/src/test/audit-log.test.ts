// The audit log: security events recorded as they happen, readable by administrators only through
// GET /admin/audit-events, and never holding a secret.
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

type AuditItem = {
  action: string;
  actorUserId: string | null;
  subjectUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
};

describe("audit log", () => {
  let server: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
    admin = await registerUser(server); // the first account administers the site
  });
  afterAll(async () => {
    await server.stop();
  });

  const eventsOf = async (userId: string, action?: string): Promise<AuditItem[]> => {
    const query = new URLSearchParams({ userId, limit: "100", ...(action && { action }) });
    const res = await server.api("GET", `/admin/audit-events?${query}`, { token: admin.access_token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items;
  };
  const actionsOf = async (userId: string) => (await eventsOf(userId)).map((e) => e.action).reverse();

  it("is for administrators only, and pages like every list", async () => {
    const u = await registerUser(server);
    const refused = await server.api("GET", "/admin/audit-events", { token: u.access_token });
    expect(refused.status).toBe(403);
    const page = await server.api("GET", "/admin/audit-events?page=1&limit=1", { token: admin.access_token });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: 1, total: expect.any(Number), pages: expect.any(Number) });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.pages).toBe(page.body.total);
    const badAction = await server.api("GET", "/admin/audit-events?action=nope", {
      token: admin.access_token,
    });
    expect(badAction.status).toBe(400);
  });

  it("records sign-up, sign-in and failed sign-in by identifier, never the password", async () => {
    const u = await registerUser(server);
    const wrong = await server.api("POST", "/auth/login", {
      body: { username: u.username, password: "not the password" },
      headers: { "user-agent": "audit-test/1.0" },
    });
    expect(wrong.status).toBe(401);
    const ok = await server.api("POST", "/auth/login", { body: { email: u.email, password: u.password } });
    expect(ok.status).toBe(200);

    expect(await actionsOf(u.user.id)).toEqual([
      "user.signed_up",
      "auth.login_failed",
      "auth.login_succeeded",
    ]);
    const [failure] = await eventsOf(u.user.id, "auth.login_failed");
    expect(failure).toMatchObject({
      actorUserId: null,
      subjectUserId: u.user.id,
      ip: "127.0.0.1",
      userAgent: "audit-test/1.0",
      details: { username: u.username },
    });
    // A failure for an account that does not exist is recorded too, by the identifier tried.
    await server.api("POST", "/auth/login", { body: { email: "ghost@example.test", password: "whatever1" } });
    const all = await server.api("GET", "/admin/audit-events?action=auth.login_failed&limit=100", {
      token: admin.access_token,
    });
    expect(all.body.items.some((e: AuditItem) => e.details.email === "ghost@example.test")).toBe(true);
    const everything = JSON.stringify(all.body);
    expect(everything).not.toContain("not the password");
    expect(everything).not.toContain("whatever1");
  });

  it("records sign-ins through better-auth's own cookie routes as well", async () => {
    const u = await registerUser(server);
    const signIn = (password: string) =>
      fetch(`${server.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: u.email, password }),
      });
    expect((await signIn("not the password")).status).toBe(401);
    expect((await signIn(u.password)).status).toBe(200);
    const [succeeded] = await eventsOf(u.user.id, "auth.login_succeeded");
    const [failed] = await eventsOf(u.user.id, "auth.login_failed");
    expect(failed).toMatchObject({ actorUserId: null, details: { email: u.email, via: "cookie" } });
    expect(succeeded).toMatchObject({ actorUserId: u.user.id, details: { via: "cookie" } });
    expect(JSON.stringify([failed, succeeded])).not.toContain("not the password");
  });

  it("records second-factor changes and failed codes", async () => {
    const u = await registerUser(server);
    const enable = await server.api("POST", "/auth/2fa/enable", {
      token: u.access_token,
      body: { password: u.password },
    });
    const secret = new URL(enable.body.totpUri).searchParams.get("secret") ?? "";
    const wrongCode = await server.api("POST", "/auth/2fa/verify", {
      token: u.access_token,
      body: { code: "000000" },
    });
    expect(wrongCode.status).toBeGreaterThanOrEqual(400);
    const confirm = await server.api("POST", "/auth/2fa/verify", {
      token: u.access_token,
      body: { code: await generate({ secret }) },
    });
    expect(confirm.status).toBe(200);
    const disable = await server.api("POST", "/auth/2fa/disable", {
      token: confirm.body.access_token,
      body: { password: u.password },
    });
    expect(disable.status).toBe(200);
    expect(await actionsOf(u.user.id)).toEqual([
      "user.signed_up",
      "auth.2fa_failed",
      "auth.2fa_enabled",
      "auth.2fa_disabled",
    ]);
    expect(JSON.stringify(await eventsOf(u.user.id))).not.toContain(secret);
  });

  it("records API keys, session revocation and logout from all devices", async () => {
    const u = await registerUser(server);
    const key = await server.api("POST", "/api-keys", { token: u.access_token, body: { name: "ci" } });
    expect(key.status).toBe(200);
    const del = await server.api("DELETE", `/api-keys/${key.body.id}`, { token: u.access_token });
    expect(del.status).toBe(200);
    const second = await server.api("POST", "/auth/login", {
      body: { email: u.email, password: u.password },
    });
    const sessions = await server.api("GET", "/auth/sessions", { token: u.access_token });
    const other = sessions.body.items.find((s: { current: boolean }) => !s.current);
    expect((await server.api("DELETE", `/auth/sessions/${other.id}`, { token: u.access_token })).status).toBe(
      200,
    );
    const out = await server.api("POST", "/auth/logout", {
      token: u.access_token,
      body: { allDevices: true },
    });
    expect(out.status).toBe(200);

    expect(await actionsOf(u.user.id)).toEqual([
      "user.signed_up",
      "api_key.created",
      "api_key.revoked",
      "auth.login_succeeded",
      "auth.session_revoked",
      "auth.logged_out_everywhere",
    ]);
    const [created] = await eventsOf(u.user.id, "api_key.created");
    expect(created?.details).toMatchObject({ apiKeyId: key.body.id, name: "ci", scopes: ["read", "write"] });
    const recorded = JSON.stringify(await eventsOf(u.user.id));
    expect(recorded).not.toContain(key.body.key);
    expect(recorded).not.toContain(second.body.refresh_token);
  });

  it("records an administrator's role changes, bans and deletions, and a user deleting their account", async () => {
    const u = await registerUser(server);
    const patch = (body: Record<string, unknown>) =>
      server.api("PATCH", `/admin/users/${u.user.id}`, { token: admin.access_token, body });
    expect((await patch({ role: "admin" })).status).toBe(200);
    expect((await patch({ role: "user" })).status).toBe(200);
    expect((await patch({ banned: true, banReason: "spam" })).status).toBe(200);
    expect((await patch({ banned: false })).status).toBe(200);
    expect(
      (await server.api("DELETE", `/admin/users/${u.user.id}`, { token: admin.access_token })).status,
    ).toBe(200);
    const byAdmin = await eventsOf(u.user.id);
    expect(byAdmin.map((e) => e.action).reverse()).toEqual([
      "user.signed_up",
      "admin.role_changed",
      "admin.role_changed",
      "admin.user_banned",
      "admin.user_unbanned",
      "admin.user_deleted",
    ]);
    expect(byAdmin[0]).toMatchObject({ actorUserId: admin.user.id, subjectUserId: u.user.id });
    expect(byAdmin.find((e) => e.action === "admin.user_banned")?.details).toMatchObject({ reason: "spam" });

    const leaving = await registerUser(server);
    const gone = await server.api("DELETE", "/users/me", {
      token: leaving.access_token,
      body: { password: leaving.password },
    });
    expect(gone.status).toBe(200);
    const [deleted] = await eventsOf(leaving.user.id, "user.account_deleted");
    expect(deleted).toMatchObject({ actorUserId: leaving.user.id, subjectUserId: leaving.user.id });
  });
});
