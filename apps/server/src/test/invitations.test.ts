// Who may sign up (the site's mode, on both registration paths) and invitations to the site and to projects.
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

let counter = 0;
const fresh = (prefix = "person") => {
  const name = `${prefix}${++counter}x${Date.now() % 100000}`;
  return { email: `${name}@example.test`, username: name, password: "correct horse battery" };
};

/** Our REST registration. */
const registerRest = (server: TestServer, person: ReturnType<typeof fresh>, invitationToken?: string) =>
  server.api("POST", "/auth/register", { body: { ...person, ...(invitationToken && { invitationToken }) } });

/** better-auth's own endpoint, which a browser could call directly were it served. */
async function registerBetterAuth(
  server: TestServer,
  person: ReturnType<typeof fresh>,
  invitationToken?: string,
): Promise<ApiResponse> {
  const res = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...person, name: person.username, ...(invitationToken && { invitationToken }) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

// better-auth's own sign-up route is not served (see `better-auth-routes.ts`); the gate behind both holds anyway.
const PATHS = [["POST /api/v1/auth/register", registerRest]] as const;

async function accountExists(server: TestServer, email: string): Promise<boolean> {
  const row = await server.deps.db.query.users.findFirst({ where: eq(schema.users.email, email) });
  return row !== undefined;
}

/** The token of an invitation link, `{APP_URL}/invite/<token>`. */
const tokenOf = (link: string) => link.split("/invite/")[1] ?? "";

describe("sign-up by invitation (the default mode)", () => {
  let server: TestServer;
  let admin: TestUser;

  const siteInvitation = async (body: Record<string, unknown> = {}) => {
    const res = await server.api("POST", "/invitations", { token: admin.access_token, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res;
  };

  beforeAll(async () => {
    server = await startTestServer({ SIGNUP_MODE: "invite", RATE_LIMIT_REGISTER_MAX: "1000" });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("lets the first account of a fresh install register without an invitation, as administrator", async () => {
    const before = await server.api("GET", "/auth/signup-mode");
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ mode: "invite", firstAccount: true, emailVerification: false });

    const person = fresh("admin");
    const res = await registerRest(server, person);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user.role).toBe("admin");
    admin = { ...res.body, ...person };

    const after = await server.api("GET", "/auth/signup-mode");
    expect(after.body).toEqual({ mode: "invite", firstAccount: false, emailVerification: false });
  });

  for (const [label, register] of PATHS) {
    it(`refuses anyone else without an invitation through ${label}, and creates no account`, async () => {
      const person = fresh();
      const res = await register(server, person);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).toMatch(/by invitation/);
      if (label.startsWith("POST /api/v1")) expect(res.body.error.code).toBe("FORBIDDEN");
      expect(await accountExists(server, person.email)).toBe(false);
    });

    it(`admits the holder of a site invitation through ${label}, once`, async () => {
      const created = await siteInvitation();
      expect(created.headers.get("cache-control")).toBe("no-store");
      expect(created.body.link).toMatch(/\/invite\/inv_[\w-]{40,}$/);
      expect(created.body.invitation).toMatchObject({ email: null, projectId: null, status: "pending" });
      const token = tokenOf(created.body.link);

      const first = fresh();
      const res = await register(server, first, token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(await accountExists(server, first.email)).toBe(true);
      const stored = await server.deps.db.query.users.findFirst({
        where: eq(schema.users.email, first.email),
      });
      expect(stored?.role).toBe("user");

      const second = fresh();
      const again = await register(server, second, token);
      expect(again.status).toBe(403);
      expect(JSON.stringify(again.body)).toMatch(/invalid, expired, withdrawn or already used/);
      expect(await accountExists(server, second.email)).toBe(false);
    });
  }

  it("does not serve better-auth's own sign-up route, with or without an invitation", async () => {
    const token = tokenOf((await siteInvitation()).body.link);
    for (const invitation of [undefined, token]) {
      const person = fresh();
      const res = await registerBetterAuth(server, person, invitation);
      expect(res.status).toBe(404);
      expect(await accountExists(server, person.email)).toBe(false);
    }
    // The invitation is still unspent.
    expect((await registerRest(server, fresh(), token)).status).toBe(200);
  });

  it("admits one account per invitation even when many sign up with it at the same moment", async () => {
    const created = await siteInvitation();
    const token = tokenOf(created.body.link);
    const people = Array.from({ length: 6 }, () => fresh("racer"));
    const answers = await Promise.all(people.map((person) => registerRest(server, person, token)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 403 || s === 409)).toBe(true);
    const accounts = await Promise.all(people.map((p) => accountExists(server, p.email)));
    expect(accounts.filter(Boolean)).toHaveLength(1);
  });

  it("never stores the token, only its hash, and lists pending site invitations without it", async () => {
    const created = await siteInvitation({ email: "Listed@Example.test" });
    const token = tokenOf(created.body.link);
    const row = await server.deps.db.query.invitations.findFirst({
      where: eq(schema.invitations.id, created.body.invitation.id),
    });
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row?.email).toBe("listed@example.test");

    const list = await server.api("GET", "/invitations", { token: admin.access_token });
    expect(list.status).toBe(200);
    const listed = list.body.items.find((i: { id: string }) => i.id === created.body.invitation.id);
    expect(listed).toMatchObject({ email: "listed@example.test", status: "pending" });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(JSON.stringify(list.body)).not.toContain("/invite/");
  });

  it("refuses an expired invitation", async () => {
    const created = await siteInvitation();
    await server.deps.db
      .update(schema.invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.invitations.id, created.body.invitation.id));
    const person = fresh();
    const res = await registerRest(server, person, tokenOf(created.body.link));
    expect(res.status).toBe(403);
    expect(await accountExists(server, person.email)).toBe(false);
  });

  it("refuses a revoked invitation, and a made-up one", async () => {
    const created = await siteInvitation();
    const revoke = await server.api("DELETE", `/invitations/${created.body.invitation.id}`, {
      token: admin.access_token,
    });
    expect(revoke.status).toBe(200);
    const person = fresh();
    const res = await registerRest(server, person, tokenOf(created.body.link));
    expect(res.status).toBe(403);
    const madeUp = await registerRest(server, person, "inv_made-up-token");
    expect(madeUp.status).toBe(403);
    expect(await accountExists(server, person.email)).toBe(false);
    const twice = await server.api("DELETE", `/invitations/${created.body.invitation.id}`, {
      token: admin.access_token,
    });
    expect(twice.status).toBe(409);
  });

  it("admits only the address an invitation was sent to", async () => {
    const invited = fresh();
    const created = await siteInvitation({ email: invited.email.toUpperCase() });
    const token = tokenOf(created.body.link);
    const other = fresh();
    const wrong = await registerRest(server, other, token);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toMatch(/another email address/);
    expect(await accountExists(server, other.email)).toBe(false);
    const right = await registerRest(server, invited, token);
    expect(right.status).toBe(200);
  });

  it("leaves site invitations to administrators", async () => {
    const member = await registerUser(server, `plain${Date.now() % 100000}`).catch(() => null);
    expect(member).toBeNull(); // nobody registers without an invitation, not even through the harness
    const created = await siteInvitation();
    const person = fresh();
    const reg = await registerRest(server, person, tokenOf(created.body.link));
    const token = reg.body.access_token as string;
    const create = await server.api("POST", "/invitations", { token, body: {} });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe("FORBIDDEN");
    const list = await server.api("GET", "/invitations", { token });
    expect(list.status).toBe(403);
    const revoke = await server.api("DELETE", `/invitations/${created.body.invitation.id}`, { token });
    expect(revoke.status).toBe(404);
  });

  it("follows the mode an administrator sets at runtime", async () => {
    const open = await server.api("PATCH", "/admin/settings", {
      token: admin.access_token,
      body: { signupMode: "open" },
    });
    expect(open.status).toBe(200);
    expect((await server.api("GET", "/auth/signup-mode")).body.mode).toBe("open");
    for (const [, register] of PATHS) {
      const person = fresh();
      expect((await register(server, person)).status).toBe(200);
    }
    await server.api("PATCH", "/admin/settings", {
      token: admin.access_token,
      body: { signupMode: "invite" },
    });
    expect((await registerRest(server, fresh())).status).toBe(403);
  });
});

describe("closed sign-up", () => {
  let server: TestServer;
  let admin: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ SIGNUP_MODE: "closed", RATE_LIMIT_REGISTER_MAX: "1000" });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("still lets the first account in, so a fresh install is usable", async () => {
    const person = fresh("admin");
    const res = await registerRest(server, person);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const row = await server.deps.db.query.users.findFirst({ where: eq(schema.users.email, person.email) });
    expect(row?.role).toBe("admin");
    const login = await server.api("POST", "/auth/login", {
      body: { email: person.email, password: person.password },
    });
    admin = { ...login.body, ...person };
    expect((await server.api("GET", "/auth/signup-mode")).body).toEqual({
      mode: "closed",
      firstAccount: false,
      emailVerification: false,
    });
  });

  for (const [label, register] of PATHS) {
    it(`refuses everyone after it through ${label}, even with an invitation`, async () => {
      const created = await server.api("POST", "/invitations", { token: admin.access_token, body: {} });
      expect(created.status).toBe(200);
      for (const token of [undefined, tokenOf(created.body.link)]) {
        const person = fresh();
        const res = await register(server, person, token);
        expect(res.status).toBe(403);
        expect(JSON.stringify(res.body)).toMatch(/closed/);
        expect(await accountExists(server, person.email)).toBe(false);
      }
    });
  }
});

describe("project invitations", () => {
  let server: TestServer;
  let owner: TestUser;
  let maintainer: TestUser;
  let outsider: TestUser;
  let projectId: string;

  const invite = (body: Record<string, unknown>, token = owner.access_token) =>
    server.api("POST", `/projects/${projectId}/members`, { token, body });
  const members = async () =>
    (await server.api("GET", `/projects/${projectId}/members`, { token: owner.access_token })).body.items.map(
      (m: { userId: string; role: string }) => [m.userId, m.role],
    );
  const mine = async (user: TestUser) =>
    (await server.api("GET", "/invitations/mine", { token: user.access_token })).body.items as {
      id: string;
      projectId: string;
      role: string;
    }[];

  beforeAll(async () => {
    server = await startTestServer({ SIGNUP_MODE: "open", RATE_LIMIT_REGISTER_MAX: "1000" });
    await registerUser(server); // the administrator; nobody below is one
    owner = await registerUser(server);
    maintainer = await registerUser(server);
    outsider = await registerUser(server);
    projectId = (
      await server.api("POST", "/projects", { token: owner.access_token, body: { name: "Atlas" } })
    ).body.id;
    const added = await invite({ userId: maintainer.user.id, role: "maintainer" });
    await server.api("POST", `/invitations/${added.body.invitation.id}/accept`, {
      token: maintainer.access_token,
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers the same for an address with an account and one without, and names nobody", async () => {
    const someone = await registerUser(server, `someone${Date.now() % 100000}`);
    const profile = await server.api("PATCH", "/auth/me", {
      token: someone.access_token,
      body: { name: "Zelda Quartermain", username: "zq_private" },
    });
    expect(profile.status).toBe(200);
    const existing = await invite({ email: someone.email, role: "viewer" });
    const missing = await invite({ email: `nobody${Date.now()}@example.test`, role: "viewer" });
    const byKnownId = await invite({ userId: someone.user.id, role: "viewer" });
    const byUnknownId = await invite({ userId: "01900000-0000-7000-8000-000000000000", role: "viewer" });
    const shape = (res: ApiResponse) =>
      JSON.stringify(res.body, (key, value) =>
        ["id", "email", "userId", "link", "expiresAt", "createdAt"].includes(key) && value !== null
          ? "…"
          : value,
      );
    for (const res of [existing, missing, byKnownId, byUnknownId]) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
    expect(shape(existing)).toBe(shape(missing));
    expect(shape(byKnownId)).toBe(shape(byUnknownId));
    for (const res of [existing, byKnownId]) {
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(profile.body.name);
      expect(text).not.toContain("zq_private");
    }
    expect(existing.body.invitation).toEqual({
      id: expect.any(String),
      email: someone.email,
      userId: null,
      projectId,
      projectName: "Atlas",
      role: "viewer",
      invitedBy: { id: owner.user.id, name: expect.any(String) },
      status: "pending",
      expiresAt: expect.any(String),
      createdAt: expect.any(String),
    });
    // Nobody joined: membership waits for the invitee's answer.
    expect((await members()).map(([id]: [string]) => id)).not.toContain(someone.user.id);
  });

  it("lets the invitee see, be notified of and accept an invitation, once", async () => {
    const invitee = await registerUser(server);
    const created = await invite({ email: invitee.email, role: "maintainer" });
    const id = created.body.invitation.id;

    expect((await mine(invitee)).map((i) => [i.id, i.projectId, i.role])).toEqual([
      [id, projectId, "maintainer"],
    ]);
    expect(await mine(outsider)).toEqual([]);
    const notices = await server.api("GET", "/notifications", { token: invitee.access_token });
    expect(notices.body.items).toEqual([
      expect.objectContaining({
        type: "project_invitation",
        data: { invitationId: id, projectId, link: "/" },
      }),
    ]);
    const pending = await server.api("GET", `/invitations?projectId=${projectId}`, {
      token: owner.access_token,
    });
    expect(pending.body.items.map((i: { id: string }) => i.id)).toContain(id);

    // Someone else cannot take it, by id or by link.
    const stolen = await server.api("POST", `/invitations/${id}/accept`, { token: outsider.access_token });
    expect(stolen.status).toBe(404);
    const stolenByLink = await server.api("POST", "/invitations/accept", {
      token: outsider.access_token,
      body: { token: tokenOf(created.body.link) },
    });
    expect(stolenByLink.status).toBe(403);
    expect(stolenByLink.body.error.message).toMatch(/another email address/);

    const accepted = await server.api("POST", `/invitations/${id}/accept`, { token: invitee.access_token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ projectId, projectName: "Atlas", role: "maintainer" });
    expect(await members()).toContainEqual([invitee.user.id, "maintainer"]);
    const project = await server.api("GET", `/projects/${projectId}`, { token: invitee.access_token });
    expect(project.status).toBe(200);
    expect(await mine(invitee)).toEqual([]);

    const again = await server.api("POST", `/invitations/${id}/accept`, { token: invitee.access_token });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("CONFLICT");
    const answeredNotices = await server.api("GET", "/notifications", { token: invitee.access_token });
    expect(answeredNotices.body.items).toEqual([]);
  });

  it("accepts by link for the person it was sent to", async () => {
    const invitee = await registerUser(server);
    const created = await invite({ userId: invitee.user.id, role: "viewer" });
    const res = await server.api("POST", "/invitations/accept", {
      token: invitee.access_token,
      body: { token: tokenOf(created.body.link) },
    });
    expect(res.status).toBe(200);
    expect(await members()).toContainEqual([invitee.user.id, "viewer"]);
  });

  it("lets the invitee decline, after which the invitation is spent", async () => {
    const invitee = await registerUser(server);
    const created = await invite({ email: invitee.email, role: "viewer" });
    const id = created.body.invitation.id;
    const declined = await server.api("POST", `/invitations/${id}/decline`, { token: invitee.access_token });
    expect(declined.status).toBe(200);
    expect(await mine(invitee)).toEqual([]);
    const accept = await server.api("POST", `/invitations/${id}/accept`, { token: invitee.access_token });
    expect(accept.status).toBe(409);
    expect((await members()).map(([userId]: [string]) => userId)).not.toContain(invitee.user.id);
  });

  it("creates the account and the membership together when someone signs up through a project link", async () => {
    const person = fresh("joiner");
    const created = await invite({ email: person.email, role: "viewer" });
    const token = tokenOf(created.body.link);

    const impostor = fresh("impostor");
    const wrong = await registerRest(server, impostor, token);
    expect(wrong.status).toBe(403);
    expect(await accountExists(server, impostor.email)).toBe(false);

    const res = await registerRest(server, person, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await members()).toContainEqual([res.body.user.id, "viewer"]);
    const row = await server.deps.db.query.invitations.findFirst({
      where: eq(schema.invitations.id, created.body.invitation.id),
    });
    expect(row?.acceptedById).toBe(res.body.user.id);
    expect(row?.acceptedAt).toBeInstanceOf(Date);
  });

  it("keeps invitations to the owner: others get 403 (members) or 404 (outsiders)", async () => {
    const byMaintainer = await invite({ email: "x@example.test", role: "viewer" }, maintainer.access_token);
    expect(byMaintainer.status).toBe(403);
    const listByMaintainer = await server.api("GET", `/invitations?projectId=${projectId}`, {
      token: maintainer.access_token,
    });
    expect(listByMaintainer.status).toBe(403);
    const viaSiteEndpoint = await server.api("POST", "/invitations", {
      token: maintainer.access_token,
      body: { projectId, email: "x@example.test", role: "owner" },
    });
    expect(viaSiteEndpoint.status).toBe(403);
    const byOutsider = await invite({ email: "x@example.test", role: "viewer" }, outsider.access_token);
    expect(byOutsider.status).toBe(404);
    const listByOutsider = await server.api("GET", `/invitations?projectId=${projectId}`, {
      token: outsider.access_token,
    });
    expect(listByOutsider.status).toBe(404);
  });

  it("lets the owner withdraw an invitation; a member who did not send it cannot", async () => {
    const invitee = await registerUser(server);
    const created = await invite({ email: invitee.email, role: "viewer" });
    const id = created.body.invitation.id;
    const byMaintainer = await server.api("DELETE", `/invitations/${id}`, { token: maintainer.access_token });
    expect(byMaintainer.status).toBe(404);
    const byOwner = await server.api("DELETE", `/invitations/${id}`, { token: owner.access_token });
    expect(byOwner.status).toBe(200);
    expect(await mine(invitee)).toEqual([]);
    const accept = await server.api("POST", `/invitations/${id}/accept`, { token: invitee.access_token });
    expect(accept.status).toBe(409);
    expect(accept.body.error.message).toMatch(/withdrawn/);
  });

  it("answers 409 for someone who is already a member", async () => {
    const res = await invite({ email: maintainer.email, role: "viewer" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("CONFLICT");
  });
});
