// Site administration over REST: user search and paging, roles, bans, deletion and the metrics dashboard.
import { schema } from "@crewdeck/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

type Metrics = Record<
  | "totalUsers"
  | "totalProjects"
  | "totalConversations"
  | "totalMessages"
  | "activeUsers24h"
  | "runningRuns"
  | "spendTodayUsd",
  number
>;

describe("admin", () => {
  let server: TestServer;
  let admin: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
    admin = await registerUser(server);
    member = await registerUser(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  const asAdmin = (method: string, path: string, body?: unknown) =>
    server.api(method, path, { token: admin.access_token, body });
  const patchUser = (userId: string, body: unknown, token = admin.access_token) =>
    server.api("PATCH", `/admin/users/${userId}`, { token, body });
  const login = (user: TestUser) =>
    server.api("POST", "/auth/login", { body: { email: user.email, password: user.password } });
  const findItem = async (user: TestUser) => {
    const res = await asAdmin("GET", `/admin/users?search=${encodeURIComponent(user.email)}`);
    return res.body.items.find((u: { id: string }) => u.id === user.user.id);
  };
  const registerNamed = async (username: string, name: string) => {
    const res = await server.api("POST", "/auth/register", {
      body: { email: `${username}@example.test`, username, password: "correct horse battery", name },
    });
    expect(res.status).toBe(200);
    return res.body.user as { id: string };
  };

  it("makes the first registered user the administrator", () => {
    expect(admin.user.role).toBe("admin");
    expect(member.user.role).toBe("user");
  });

  it("refuses every admin endpoint to a non-admin (403) and to an anonymous caller (401)", async () => {
    const calls: [string, string, unknown?][] = [
      ["GET", "/admin/users"],
      ["PATCH", `/admin/users/${member.user.id}`, { role: "admin" }],
      ["PATCH", `/admin/users/${admin.user.id}`, { banned: true }],
      ["DELETE", `/admin/users/${admin.user.id}`],
      ["GET", "/admin/metrics"],
    ];
    for (const [method, path, body] of calls) {
      const res = await server.api(method, path, { token: member.access_token, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
      const anonymous = await server.api(method, path, { body });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
    }
    expect((await server.api("GET", "/auth/me", { token: member.access_token })).body.role).toBe("user");
    expect((await server.api("GET", "/auth/me", { token: admin.access_token })).status).toBe(200);
  });

  describe("GET /admin/users", () => {
    it("lists accounts with their activity and project count", async () => {
      const user = await registerUser(server);
      const project = await server.api("POST", "/projects", {
        token: user.access_token,
        body: { name: "P" },
      });
      expect(project.status).toBe(200);
      const item = await findItem(user);
      expect(item).toEqual({
        id: user.user.id,
        name: user.username,
        username: user.username,
        email: user.email,
        role: "user",
        banned: false,
        banReason: null,
        banExpires: null,
        emailVerified: false,
        twoFactorEnabled: false,
        createdAt: expect.any(String),
        lastLoginAt: expect.any(String),
        loginCount: 1,
        projectCount: 1,
      });
    });

    it("searches name, email and username ignoring case, with % and _ taken literally", async () => {
      const percent = await registerNamed("pctuser", "Growth 100% Guaranteed");
      const underscore = await registerNamed("undscore", "snake_case fan");
      const plain = await registerNamed("plainzeta", "Zeta Plainfield");

      const ids = async (search: string) => {
        const res = await asAdmin("GET", `/admin/users?limit=100&search=${encodeURIComponent(search)}`);
        expect(res.status).toBe(200);
        return res.body.items.map((u: { id: string }) => u.id);
      };
      expect(await ids("%")).toEqual([percent.id]);
      expect(await ids("100%")).toEqual([percent.id]);
      expect(await ids("_")).toEqual([underscore.id]);
      expect(await ids("ZETA PLAIN")).toEqual([plain.id]);
      expect(await ids("PLAINZETA@EXAMPLE")).toEqual([plain.id]);
      expect(await ids("UNDSCO")).toEqual([underscore.id]);
      expect(await ids("nobody-by-this-name")).toEqual([]);
    });

    it("pages newest first", async () => {
      const all = await asAdmin("GET", "/admin/users?limit=100");
      const total = all.body.total as number;
      expect(total).toBeGreaterThanOrEqual(4);
      expect(all.body.items).toHaveLength(total);
      const created = all.body.items.map((u: { createdAt: string }) => Date.parse(u.createdAt));
      expect([...created].sort((a, b) => b - a)).toEqual(created);
      expect(all.body.items.at(-1).id).toBe(admin.user.id);

      const first = await asAdmin("GET", "/admin/users?limit=2&page=1");
      const second = await asAdmin("GET", "/admin/users?limit=2&page=2");
      expect(first.body).toMatchObject({ total, page: 1, pages: Math.ceil(total / 2) });
      expect(second.body.page).toBe(2);
      const ids = (res: typeof first) => res.body.items.map((u: { id: string }) => u.id);
      expect([...ids(first), ...ids(second)]).toEqual(ids(all).slice(0, 4));

      expect((await asAdmin("GET", "/admin/users?limit=101")).status).toBe(400);
    });
  });

  describe("PATCH /admin/users/{userId}", () => {
    it("promotes a user to admin and demotes them again", async () => {
      const user = await registerUser(server);
      const promoted = await patchUser(user.user.id, { role: "admin" });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ id: user.user.id, role: "admin" });
      expect((await server.api("GET", "/admin/metrics", { token: user.access_token })).status).toBe(200);

      const demoted = await patchUser(user.user.id, { role: "user" });
      expect(demoted.body.role).toBe("user");
      expect((await server.api("GET", "/admin/metrics", { token: user.access_token })).status).toBe(403);

      const bad = await patchUser(user.user.id, { role: "superuser" });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("VALIDATION_ERROR");
    });

    it("bans a user: their sessions end at once, their API key is refused, and they cannot sign in", async () => {
      const user = await registerUser(server);
      const key = await server.api("POST", "/api-keys", { token: user.access_token, body: { name: "ci" } });
      expect(key.status).toBe(200);
      expect((await server.api("GET", "/auth/me", { token: user.access_token })).status).toBe(200);

      const res = await patchUser(user.user.id, { banned: true, banReason: "Spam" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ banned: true, banReason: "Spam", banExpires: null });

      for (const token of [user.access_token, user.refresh_token]) {
        const me = await server.api("GET", "/auth/me", { token });
        expect(me.status).toBe(401);
      }
      const sessions = await server.deps.db.query.sessions.findMany({
        where: (s, { eq }) => eq(s.userId, user.user.id),
      });
      expect(sessions).toEqual([]);
      const byKey = await server.api("GET", "/auth/me", { apiKey: key.body.key });
      expect(byKey.status).toBe(403);
      expect(byKey.body.error).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("Spam") });
      const signIn = await login(user);
      expect(signIn.status).toBe(403);
      expect(signIn.body.error.code).toBe("FORBIDDEN");
      expect(
        (await server.api("POST", "/auth/refresh", { body: { refresh_token: user.refresh_token } })).status,
      ).toBe(401);

      const unbanned = await patchUser(user.user.id, { banned: false });
      expect(unbanned.status).toBe(200);
      expect(unbanned.body).toMatchObject({ banned: false, banReason: null, banExpires: null });
      const again = await login(user);
      expect(again.status).toBe(200);
      expect((await server.api("GET", "/auth/me", { token: again.body.access_token })).status).toBe(200);
      expect((await server.api("GET", "/auth/me", { apiKey: key.body.key })).status).toBe(200);
    });

    it("bans until a time, and checks the ban's reason and expiry", async () => {
      const user = await registerUser(server);
      const tooLate = await patchUser(user.user.id, { banned: true, banExpires: "2000-01-01T00:00:00.000Z" });
      expect(tooLate.status).toBe(400);
      expect(tooLate.body.error.details).toEqual([{ field: "banExpires", message: expect.any(String) }]);
      const reasonOnly = await patchUser(user.user.id, { banReason: "Why not" });
      expect(reasonOnly.status).toBe(400);
      expect((await findItem(user)).banned).toBe(false);
      expect((await server.api("GET", "/auth/me", { token: user.access_token })).status).toBe(200);

      const until = new Date(Date.now() + 3_600_000).toISOString();
      const banned = await patchUser(user.user.id, {
        banned: true,
        banReason: "Cooling off",
        banExpires: until,
      });
      expect(banned.body).toMatchObject({ banned: true, banReason: "Cooling off", banExpires: until });
      const reworded = await patchUser(user.user.id, { banReason: "Abuse" });
      expect(reworded.body).toMatchObject({ banned: true, banReason: "Abuse", banExpires: until });
      expect((await login(user)).status).toBe(403);

      const mixed = await patchUser(user.user.id, { banned: false, banReason: "x" });
      expect(mixed.status).toBe(400);
      expect((await patchUser(user.user.id, { banned: "false" })).status).toBe(400);
      expect((await findItem(user)).banned).toBe(true);
    });

    it("never lets an admin demote or ban themselves, so a sole admin always stays", async () => {
      for (const body of [{ role: "user" }, { banned: true }]) {
        const res = await patchUser(admin.user.id, body);
        expect(res.status).toBe(409);
        expect(res.body.error.code).toBe("CONFLICT");
      }
      const me = await server.api("GET", "/auth/me", { token: admin.access_token });
      expect(me.body.role).toBe("admin");
      expect((await findItem(admin)).banned).toBe(false);

      // With a second admin, each may demote the other but still not themselves.
      const second = await registerUser(server);
      await patchUser(second.user.id, { role: "admin" });
      const selfDemotion = await patchUser(second.user.id, { role: "user" }, second.access_token);
      expect(selfDemotion.status).toBe(409);
      const demoted = await patchUser(second.user.id, { role: "user" });
      expect(demoted.status).toBe(200);
      expect(demoted.body.role).toBe("user");

      // Renaming a role to what it already is, or an empty change, is no demotion.
      const same = await patchUser(admin.user.id, { role: "admin" });
      expect(same.status).toBe(200);
      expect((await patchUser(admin.user.id, {})).body.role).toBe("admin");
    });

    // Whichever way the requests interleave, the site must end with exactly one admin; the guard inside the
    // UPDATE is what holds this when both pass their checks before either writes.
    it("keeps one admin when the last two demote each other at the same moment", async () => {
      const second = await registerUser(server);
      await patchUser(second.user.id, { role: "admin" });
      const results = await Promise.all([
        patchUser(second.user.id, { role: "user" }, admin.access_token),
        patchUser(admin.user.id, { role: "user" }, second.access_token),
      ]);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      // The loser was either already demoted when it was checked (403) or lost inside the update (409).
      expect(statuses.filter((s) => s === 403 || s === 409)).toHaveLength(1);
      const admins = await server.deps.db.query.users.findMany({ where: (u, { eq }) => eq(u.role, "admin") });
      expect(admins).toHaveLength(1);

      // Put the file's admin back for the tests that follow.
      if (admins[0]?.id !== admin.user.id) {
        expect((await patchUser(admin.user.id, { role: "admin" }, second.access_token)).status).toBe(200);
        expect((await patchUser(second.user.id, { role: "user" })).status).toBe(200);
      }
    });

    it("answers 404 for an unknown user", async () => {
      const res = await patchUser("no-such-user", { role: "admin" });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
    });
  });

  describe("DELETE /admin/users/{userId}", () => {
    it("deletes the user; a project they share goes to the other owner", async () => {
      const leaving = await registerUser(server);
      const partner = await registerUser(server);
      const shared = await server.api("POST", "/projects", {
        token: leaving.access_token,
        body: { name: "Shared" },
      });
      const solo = await server.api("POST", "/projects", {
        token: leaving.access_token,
        body: { name: "Solo" },
      });
      await addMember(server, leaving.access_token, shared.body.id, partner, "owner");

      const res = await asAdmin("DELETE", `/admin/users/${leaving.user.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });

      expect(await findItem(leaving)).toBeUndefined();
      expect((await login(leaving)).status).toBe(401);
      expect((await server.api("GET", "/auth/me", { token: leaving.access_token })).status).toBe(401);

      const project = await server.api("GET", `/projects/${shared.body.id}`, { token: partner.access_token });
      expect(project.status).toBe(200);
      expect(project.body.ownerId).toBe(partner.user.id);
      expect(project.body.members.map((m: { userId: string }) => m.userId)).toEqual([partner.user.id]);
      const goneSolo = await server.deps.db.query.projects.findFirst({
        where: (p, { eq }) => eq(p.id, solo.body.id),
      });
      expect(goneSolo).toBeUndefined();

      const twice = await asAdmin("DELETE", `/admin/users/${leaving.user.id}`);
      expect(twice.status).toBe(404);
    });

    it("refuses an admin deleting themselves here (409): that is the account endpoint's job", async () => {
      const res = await asAdmin("DELETE", `/admin/users/${admin.user.id}`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("CONFLICT");
      expect((await server.api("GET", "/auth/me", { token: admin.access_token })).status).toBe(200);
    });
  });

  describe("GET /admin/metrics", () => {
    const metrics = async () => {
      const res = await asAdmin("GET", "/admin/metrics");
      expect(res.status).toBe(200);
      return res.body as Metrics;
    };

    it("counts users, projects, conversations, messages, active users, running runs and today's spend", async () => {
      const db = server.deps.db;
      const before = await metrics();
      expect(before.spendTodayUsd).toBe(0);
      expect(before.totalUsers).toBe((await asAdmin("GET", "/admin/users")).body.total);

      const user = await registerUser(server);
      const project = await server.api("POST", "/projects", {
        token: user.access_token,
        body: { name: "M" },
      });
      const [conversation] = await db
        .insert(schema.conversations)
        .values({ projectId: project.body.id, createdById: user.user.id, title: "Chat" })
        .returning();
      await db.insert(schema.messages).values([
        { conversationId: conversation!.id, authorType: "user", userId: user.user.id, content: "hi" },
        { conversationId: conversation!.id, authorType: "system", content: "hello" },
      ]);
      const [task] = await db
        .insert(schema.tasks)
        .values({ projectId: project.body.id, createdById: user.user.id, title: "Build" })
        .returning();
      await db.insert(schema.runs).values([
        { taskId: task!.id, projectId: project.body.id, status: "running", pipeline: [], totalSteps: 6 },
        { taskId: task!.id, projectId: project.body.id, status: "completed", pipeline: [], totalSteps: 6 },
      ]);
      const now = new Date();
      const startOfDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      const usage = { provider: "anthropic", model: "claude-sonnet-4-5", outcome: "success" as const };
      await db.insert(schema.usageRecords).values([
        { ...usage, projectId: project.body.id, costMicros: 1_234_567 },
        { ...usage, costMicros: 2_010_000 },
        { ...usage, costMicros: 9_000_000, createdAt: new Date(startOfDay - 60_000) },
      ]);

      const after = await metrics();
      expect(after).toEqual({
        totalUsers: before.totalUsers + 1,
        totalProjects: before.totalProjects + 1,
        totalConversations: before.totalConversations + 1,
        totalMessages: before.totalMessages + 2,
        activeUsers24h: before.activeUsers24h + 1,
        runningRuns: before.runningRuns + 1,
        // Today's two calls, not yesterday's: $1.234567 + $2.01.
        spendTodayUsd: 3.244567,
      });
    });

    it("counts as active only those who signed in or used a session in the last 24 hours", async () => {
      const idle = await registerUser(server);
      const before = await metrics();
      const twoDaysAgo = Date.now() - 2 * 24 * 3_600_000;
      await server.deps.db.$client.execute({
        sql: "update users set last_login_at = ? where id = ?",
        args: [twoDaysAgo, idle.user.id],
      });
      await server.deps.db.$client.execute({
        sql: "update sessions set last_used_at = ? where user_id = ?",
        args: [twoDaysAgo, idle.user.id],
      });
      expect((await metrics()).activeUsers24h).toBe(before.activeUsers24h - 1);

      // Using the old session makes them active again.
      expect((await server.api("GET", "/auth/me", { token: idle.refresh_token })).status).toBe(200);
      expect((await metrics()).activeUsers24h).toBe(before.activeUsers24h);
    });
  });
});
