// GitHub over HTTP (§2.2, §2.3 reconnect, /admin/github) against the local fake GitHub with the real Octokit:
// the OAuth round trip through the raw callback, states that cannot be replayed or borrowed, sealed tokens,
// idempotent syncs, revoked tokens, reconnecting a project repository, and an unconfigured server.
import { openSecret } from "@crewdeck/db";
import type { FakeGitHub } from "@crewdeck/github/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServerWithGitHub, type TestServer, type TestUser } from "./harness";

const ROOMY = { RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_GENERAL_PER_MINUTE: "100000" };
/** The better-auth session cookie a browser would hold after signing in. */
async function cookieSession(server: TestServer, user: TestUser): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** What a browser does on GitHub's authorize page: open it, click "Authorize", land on our callback. */
async function authorizeOnGitHub(github: FakeGitHub, authUrl: string): Promise<string> {
  const page = await fetch(authUrl);
  expect(page.status).toBe(200);
  const href = /id="authorize" href="([^"]+)"/.exec(await page.text())?.[1];
  expect(href).toBeDefined();
  const approve = await fetch(new URL(href!.replaceAll("&amp;", "&"), github.webUrl), { redirect: "manual" });
  expect(approve.status).toBe(302);
  return approve.headers.get("location")!;
}

/** The callback as the browser follows it, with or without the cookie; returns where it was sent. */
async function followCallback(callbackUrl: string, cookie?: string): Promise<URL> {
  const res = await fetch(callbackUrl, { redirect: "manual", headers: cookie ? { cookie } : {} });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

describe("GitHub, configured", () => {
  let server: TestServer;
  let github: FakeGitHub;
  let stop: () => Promise<void>;
  let ada: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const as = (u: TestUser) => ({ token: u.access_token });

  async function connect(user: TestUser, login: string) {
    github.authorizeAs(login);
    const url = await server.api("GET", "/github/connect-url", as(user));
    expect(url.status).toBe(200);
    const landing = new URL(await authorizeOnGitHub(github, url.body.authUrl));
    const res = await server.api("POST", "/github/connect", {
      ...as(user),
      body: { code: landing.searchParams.get("code"), state: landing.searchParams.get("state") },
    });
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeAll(async () => {
    ({ server, github, stop } = await startTestServerWithGitHub(ROOMY));
    await registerUser(server, "ghadmin"); // the first account is the admin
    ada = await registerUser(server, "ada");
    bob = await registerUser(server, "bob");
    carol = await registerUser(server, "carol");
    github.addUser("ada-gh", { name: "Ada" });
    github.addUser("bob-gh");
    github.addUser("carol-gh");
    github.addRepo("ada-gh/shop", { language: "TypeScript", description: "The shop" });
    github.addRepo("ada-gh/api", { language: "Go", private: true });
    github.addRepo("ada-gh/infra", { language: "HCL" });
    github.setBranch("ada-gh/shop", "feature/cart", { protected: false });
    github.addRepo("bob-gh/notes", { language: "Python" });
    github.addRepo("carol-gh/site", { language: "Ruby" });
  });
  afterAll(() => stop?.());

  it("connects through GitHub's authorize page and the callback, with the browser's cookie session", async () => {
    const cookie = await cookieSession(server, ada);
    const url = await server.api("GET", "/github/connect-url", { headers: { cookie } });
    expect(url.status).toBe(200);
    const authUrl = new URL(url.body.authUrl);
    expect(authUrl.origin).toBe(new URL(github.webUrl).origin);
    expect(authUrl.searchParams.get("state")).toBe(url.body.state);
    expect(authUrl.searchParams.get("redirect_uri")).toBe(`${server.url}/api/v1/github/callback`);

    github.authorizeAs("ada-gh");
    const callback = await authorizeOnGitHub(github, url.body.authUrl);
    expect(callback.startsWith(`${server.url}/api/v1/github/callback?`)).toBe(true);
    const landed = await followCallback(callback, cookie);
    expect(`${landed.origin}${landed.pathname}`).toBe(`${server.url}/settings`);
    expect(landed.searchParams.get("github")).toBe("connected");

    const status = await server.api("GET", "/github/status", as(ada));
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      connected: true,
      needsReconnect: false,
      github: { username: "ada-gh", profile: { login: "ada-gh", name: "Ada" }, lastSyncAt: null },
    });
    expect(Date.parse(status.body.github.connectedAt)).not.toBeNaN();

    // The token is stored sealed and never shown.
    const row = await server.deps.db.query.githubConnections.findFirst({
      where: (t, { eq }) => eq(t.userId, ada.user.id),
    });
    const token = openSecret(server.deps.github.secret, row!.accessTokenEncrypted, "github-token");
    expect(token.length).toBeGreaterThan(10);
    expect(row!.accessTokenEncrypted).not.toContain(token);
    expect(JSON.stringify(status.body)).not.toContain(token);
    const me = await server.api("GET", "/auth/me", as(ada));
    expect(JSON.stringify(me.body)).not.toContain(token);
  });

  it("without a cookie, the callback hands the code to the web app in the fragment, and POST /github/connect finishes", async () => {
    github.authorizeAs("bob-gh");
    const url = await server.api("GET", "/github/connect-url", as(bob));
    const landed = await followCallback(await authorizeOnGitHub(github, url.body.authUrl));
    expect(landed.pathname).toBe("/settings");
    expect(landed.searchParams.get("github")).toBe("finish");
    expect(landed.search).not.toContain("code=");
    const fragment = new URLSearchParams(landed.hash.slice(1));
    expect(fragment.get("state")).toBe(url.body.state);

    const done = await server.api("POST", "/github/connect", {
      ...as(bob),
      body: { code: fragment.get("code"), state: fragment.get("state") },
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ connected: true, github: { username: "bob-gh" } });

    // The state is single-use.
    const again = await server.api("POST", "/github/connect", {
      ...as(bob),
      body: { code: github.createCode("bob-gh"), state: fragment.get("state") },
    });
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({
      code: "VALIDATION_ERROR",
      details: { reason: "invalid_state" },
    });
  });

  it("refuses another person's state, which stays theirs", async () => {
    const carols = await server.api("GET", "/github/connect-url", as(carol));
    const stolen = await server.api("POST", "/github/connect", {
      ...as(bob),
      body: { code: github.createCode("bob-gh"), state: carols.body.state },
    });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.details.reason).toBe("invalid_state");
    expect(stolen.body.error.message).toMatch(/another account/);

    // Through the callback with bob's cookie: an error in words, not a 500.
    const cookie = await cookieSession(server, bob);
    const callback = `${server.url}/api/v1/github/callback?code=${github.createCode("bob-gh")}&state=${carols.body.state}`;
    const landed = await followCallback(callback, cookie);
    expect(landed.searchParams.get("github")).toBe("error");
    expect(landed.searchParams.get("reason")).toBe("invalid_state");

    // GitHub's own refusal ("Cancel") and a callback with nothing: errors, not 500s.
    const denied = await followCallback(`${server.url}/api/v1/github/callback?error=access_denied&state=x`);
    expect(denied.searchParams.get("reason")).toBe("access_denied");
    const empty = await followCallback(`${server.url}/api/v1/github/callback`);
    expect(empty.searchParams.get("github")).toBe("error");

    github.authorizeAs("carol-gh");
    const ok = await server.api("POST", "/github/connect", {
      ...as(carol),
      body: { code: github.createCode("carol-gh"), state: carols.body.state },
    });
    expect(ok.status).toBe(200);
  });

  it("syncs repositories idempotently, lists and searches them, and lists branches", async () => {
    const first = await server.api("POST", "/repositories/sync", { ...as(ada), body: {} });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ synced: 3, added: 3, updated: 0, removed: 0 });
    const second = await server.api("POST", "/repositories/sync", { ...as(ada), body: {} });
    expect(second.body).toEqual({ synced: 3, added: 0, updated: 0, removed: 0 });
    const forced = await server.api("POST", "/repositories/sync", { ...as(ada), body: { force: true } });
    expect(forced.body).toEqual({ synced: 3, added: 0, updated: 0, removed: 0 });

    const status = await server.api("GET", "/github/status", as(ada));
    expect(status.body.github.lastSyncAt).not.toBeNull();

    const all = await server.api("GET", "/repositories?limit=2", as(ada));
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, pages: 2 });
    expect(all.body.items).toHaveLength(2);
    const found = await server.api("GET", "/repositories?search=shop", as(ada));
    expect(found.body.items.map((r: { fullName: string }) => r.fullName)).toEqual(["ada-gh/shop"]);
    expect(found.body.items[0]).toMatchObject({
      language: "TypeScript",
      isPrivate: false,
      defaultBranch: "main",
      connected: false,
    });
    const privateOne = await server.api("GET", "/repositories?search=api", as(ada));
    expect(privateOne.body.items[0]).toMatchObject({ fullName: "ada-gh/api", isPrivate: true });

    const branches = await server.api("GET", `/repositories/${found.body.items[0].id}/branches`, as(ada));
    expect(branches.status).toBe(200);
    const names = branches.body.items.map((b: { name: string }) => b.name).sort();
    expect(names).toEqual(["feature/cart", "main"]);
    expect(branches.body.items.find((b: { name: string }) => b.name === "main")).toMatchObject({
      isDefault: true,
    });
  });

  it("keeps each person's repositories to themselves", async () => {
    await server.api("POST", "/repositories/sync", { ...as(bob), body: {} });
    const bobs = await server.api("GET", "/repositories", as(bob));
    expect(bobs.body.items.map((r: { fullName: string }) => r.fullName)).toEqual(["bob-gh/notes"]);
    const adas = await server.api("GET", "/repositories?search=shop", as(ada));
    const branches = await server.api("GET", `/repositories/${adas.body.items[0].id}/branches`, as(bob));
    expect(branches.status).toBe(404);
    expect(branches.body.error.code).toBe("RESOURCE_NOT_FOUND");
  });

  it("links synced repositories with GitHub's details, and reconnects them", async () => {
    const created = await server.api("POST", "/projects", {
      ...as(ada),
      body: { name: "Shop", repositories: [{ name: "shop", full_name: "ada-gh/shop" }] },
    });
    expect(created.status).toBe(200);
    const [shop] = created.body.repositories;
    expect(shop).toMatchObject({
      fullName: "ada-gh/shop",
      language: "TypeScript",
      type: "frontend",
      isPrivate: false,
      syncStatus: "synced",
    });
    expect(shop.githubId).toEqual(expect.any(Number));
    expect(shop.lastSyncAt).not.toBeNull();

    const api = await server.api("POST", `/projects/${created.body.id}/repositories`, {
      ...as(ada),
      body: { name: "api", full_name: "ada-gh/api" },
    });
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({
      language: "Go",
      type: "backend",
      isPrivate: true,
      syncStatus: "synced",
    });
    const unknown = await server.api("POST", `/projects/${created.body.id}/repositories`, {
      ...as(ada),
      body: { name: "elsewhere", full_name: "someone/elsewhere", language: "Rust" },
    });
    expect(unknown.body).toMatchObject({ syncStatus: "pending", language: "Rust", lastSyncAt: null });

    const linked = await server.api("GET", "/repositories?connected=true", as(ada));
    expect(linked.body.items.map((r: { fullName: string }) => r.fullName).sort()).toEqual([
      "ada-gh/api",
      "ada-gh/shop",
    ]);

    const path = `/projects/${created.body.id}/repositories/${shop.id}/reconnect`;
    github.updateRepo("ada-gh/shop", { language: "JavaScript" });
    const reconnected = await server.api("POST", path, { ...as(ada), body: {} });
    expect(reconnected.status).toBe(200);
    expect(reconnected.body).toMatchObject({ id: shop.id, syncStatus: "synced", language: "JavaScript" });
    expect(reconnected.body.lastSyncAt).not.toBeNull();

    // An outsider learns nothing; a repository gone from GitHub is a 502 with the reason, marked `error`.
    const outsider = await server.api("POST", path, { ...as(bob), body: {} });
    expect(outsider.status).toBe(404);
    const elsewhere = await server.api(
      "POST",
      `/projects/${created.body.id}/repositories/${unknown.body.id}/reconnect`,
      { ...as(ada), body: {} },
    );
    expect(elsewhere.status).toBe(502);
    expect(elsewhere.body.error.code).toBe("GITHUB_API_ERROR");
    expect(elsewhere.body.error.details.reason).toBe("api_error");
    expect(elsewhere.body.error.message).toMatch(/someone\/elsewhere/);
    const project = await server.api("GET", `/projects/${created.body.id}`, as(ada));
    const marked = project.body.repositories.find((r: { id: string }) => r.id === unknown.body.id);
    expect(marked).toMatchObject({ syncStatus: "error" });
    expect(marked.syncError).toMatch(/someone\/elsewhere/);
  });

  it("shows a revoked token as needsReconnect, with a 502 reconnect_required", async () => {
    const row = await server.deps.db.query.githubConnections.findFirst({
      where: (t, { eq }) => eq(t.userId, carol.user.id),
    });
    github.revokeToken(openSecret(server.deps.github.secret, row!.accessTokenEncrypted, "github-token"));
    const sync = await server.api("POST", "/repositories/sync", { ...as(carol), body: {} });
    expect(sync.status).toBe(502);
    expect(sync.body.error).toMatchObject({
      code: "GITHUB_API_ERROR",
      details: { reason: "reconnect_required" },
    });
    const status = await server.api("GET", "/github/status", as(carol));
    expect(status.body).toMatchObject({ connected: true, needsReconnect: true });
    // Later calls do not go to GitHub with a dead token: they say to reconnect.
    const again = await server.api("POST", "/repositories/sync", { ...as(carol), body: {} });
    expect(again.body.error.details.reason).toBe("reconnect_required");

    // Connecting again clears it.
    await connect(carol, "carol-gh");
    const fixed = await server.api("GET", "/github/status", as(carol));
    expect(fixed.body.needsReconnect).toBe(false);
  });

  it("disconnects and forgets the synced repositories", async () => {
    const res = await server.api("DELETE", "/github/connection", as(bob));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, disconnected: true });
    expect((await server.api("GET", "/github/status", as(bob))).body).toEqual({
      connected: false,
      needsReconnect: false,
      github: null,
    });
    expect((await server.api("GET", "/repositories", as(bob))).body.total).toBe(0);
    const sync = await server.api("POST", "/repositories/sync", { ...as(bob), body: {} });
    expect(sync.status).toBe(409);
    expect(sync.body.error.details.reason).toBe("not_connected");
  });

  it("reports GitHub as up in /health", async () => {
    const res = await server.api("GET", "/health");
    expect(res.body.services.github).toBe("up");
  });
});

describe("GitHub, not configured", () => {
  let server: TestServer;
  let github: FakeGitHub;
  let stop: () => Promise<void>;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    ({ server, github, stop } = await startTestServerWithGitHub(ROOMY, { configured: false }));
    admin = await registerUser(server, "siteadmin");
    user = await registerUser(server, "plain");
  });
  afterAll(() => stop?.());

  it("says what to set instead of failing", async () => {
    const url = await server.api("GET", "/github/connect-url", { token: user.access_token });
    expect(url.status).toBe(409);
    expect(url.body.error.details.reason).toBe("not_configured");
    expect(url.body.error.message).toMatch(/GITHUB_CLIENT_ID/);
    const connect = await server.api("POST", "/github/connect", {
      token: user.access_token,
      body: { code: "x", state: "y" },
    });
    expect(connect.body.error.details.reason).toBe("not_configured");
    const status = await server.api("GET", "/github/status", { token: user.access_token });
    expect(status.body).toMatchObject({ connected: false });
    const cookie = await cookieSession(server, user);
    const landed = await followCallback(`${server.url}/api/v1/github/callback?code=x&state=y`, cookie);
    expect(landed.searchParams.get("reason")).toBe("not_configured");
    expect((await server.api("GET", "/health")).body.services.github).toBe("not-configured");
  });

  it("lets an administrator store, read and clear the configuration, never showing a secret", async () => {
    const a = { token: admin.access_token };
    const initial = await server.api("GET", "/admin/github", a);
    expect(initial.status).toBe(200);
    expect(initial.body).toMatchObject({
      source: "environment",
      oauthConfigured: false,
      callbackUrl: `${server.url}/api/v1/github/callback`,
    });
    expect(initial.body.issues.join(" ")).toMatch(/GITHUB_CLIENT_ID/);

    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", { clientId: "x" }],
      ["DELETE", undefined],
    ] as const) {
      const refused = await server.api(method, "/admin/github", { token: user.access_token, body });
      expect(refused.status, method).toBe(403);
    }

    const { clientId, clientSecret } = github.oauthApp;
    const stored = await server.api("PUT", "/admin/github", {
      ...a,
      body: {
        clientId,
        clientSecret,
        webUrl: github.webUrl,
        apiUrl: github.apiUrl,
        webhookSecret: "whsec-do-not-show",
      },
    });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      source: "admin",
      clientId,
      oauthConfigured: true,
      webhookConfigured: true,
      appConfigured: false,
      issues: [],
    });
    const shown = JSON.stringify((await server.api("GET", "/admin/github", a)).body);
    expect(shown).not.toContain(clientSecret);
    expect(shown).not.toContain("whsec-do-not-show");
    const row = await server.deps.db.query.githubSettings.findFirst();
    expect(JSON.stringify(row)).not.toContain(clientSecret);

    const invalid = await server.api("PUT", "/admin/github", { ...a, body: { webUrl: "not a url" } });
    expect(invalid.status).toBe(400);

    const url = await server.api("GET", "/github/connect-url", { token: user.access_token });
    expect(url.status).toBe(200);
    expect(url.body.authUrl.startsWith(`${github.webUrl}/login/oauth/authorize?`)).toBe(true);

    const cleared = await server.api("DELETE", "/admin/github", a);
    expect(cleared.body).toMatchObject({ source: "environment", oauthConfigured: false });
    expect((await server.api("GET", "/github/connect-url", { token: user.access_token })).status).toBe(409);
  });
});
