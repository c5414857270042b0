// Credentials at rest: the database keeps only hashes of session tokens, and a new data directory, its
// database and its secret are readable by the server's own account only.
import { createHash } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer } from "./harness";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe("session tokens at rest", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" });
  });
  afterAll(async () => {
    await server.stop();
  });

  const storedTokens = async (userId: string) =>
    (await server.deps.db.query.sessions.findMany({ where: eq(schema.sessions.userId, userId) })).map(
      (s) => s.token,
    );

  it("stores a hash of the refresh token, never the token the client received", async () => {
    const u = await registerUser(server);
    const login = await server.api("POST", "/auth/login", { body: { email: u.email, password: u.password } });
    expect(login.status).toBe(200);
    const stored = await storedTokens(u.user.id);
    expect(stored).toHaveLength(2);
    for (const issued of [u.refresh_token, login.body.refresh_token]) {
      expect(stored).not.toContain(issued);
      expect(stored).toContain(sha256(issued));
    }
    // A leaked hash is not a credential.
    const withHash = await server.api("GET", "/auth/me", { token: sha256(u.refresh_token) });
    expect(withHash.status).toBe(401);
    const refreshWithHash = await server.api("POST", "/auth/refresh", {
      body: { refresh_token: sha256(u.refresh_token) },
    });
    expect(refreshWithHash.status).toBe(401);
  });

  it("still accepts the session token as a bearer, rotates refresh tokens and logs out", async () => {
    const u = await registerUser(server);
    const asBearer = await server.api("GET", "/auth/me", { token: u.refresh_token });
    expect(asBearer.status).toBe(200);
    expect(asBearer.body.id).toBe(u.user.id);

    const refreshed = await server.api("POST", "/auth/refresh", { body: { refresh_token: u.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect(await storedTokens(u.user.id)).toEqual([sha256(refreshed.body.refresh_token)]);
    const replayed = await server.api("POST", "/auth/refresh", { body: { refresh_token: u.refresh_token } });
    expect(replayed.status).toBe(401);

    const again = await registerUser(server);
    const logout = await server.api("POST", "/auth/logout", {
      token: again.access_token,
      body: { refresh_token: again.refresh_token },
    });
    expect(logout.status).toBe(200);
    expect(logout.body.revoked).toBe(1);
    expect((await server.api("GET", "/auth/me", { token: again.refresh_token })).status).toBe(401);
  });

  it("signs in with better-auth's cookie, whose session is stored hashed, and revokes it by id", async () => {
    const u = await registerUser(server);
    const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: u.email, password: u.password }),
    });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    expect(await storedTokens(u.user.id)).toContain(sha256(token));
    expect(await storedTokens(u.user.id)).not.toContain(token);

    const me = await server.api("GET", "/auth/me", { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(u.user.id);

    const sessions = await server.api("GET", "/auth/sessions", { token: u.access_token });
    const cookieSession = (sessions.body.items as { id: string; current: boolean }[]).find((s) => !s.current);
    expect(cookieSession).toBeDefined();
    const revoke = await server.api("DELETE", `/auth/sessions/${cookieSession?.id}`, {
      token: u.access_token,
    });
    expect(revoke.status).toBe(200);
    expect((await server.api("GET", "/auth/me", { headers: { cookie } })).status).toBe(401);
  });

  it("turns a second factor on and off for a caller signed in with an access token", async () => {
    const u = await registerUser(server);
    const enable = await server.api("POST", "/auth/2fa/enable", {
      token: u.access_token,
      body: { password: u.password },
    });
    expect(enable.status).toBe(200);
    const disable = await server.api("POST", "/auth/2fa/disable", {
      token: u.access_token,
      body: { password: u.password },
    });
    expect(disable.status).toBe(200);
    // The caller's session was replaced; the stored row is the hash of the refresh token it now holds.
    expect(await storedTokens(u.user.id)).toEqual([sha256(disable.body.refresh_token)]);
    expect((await server.api("GET", "/auth/me", { token: disable.body.access_token })).status).toBe(200);
  });
});

describe("file modes of a fresh data directory", () => {
  it("creates DATA_DIR 0700 and the database and auth secret 0600", async () => {
    const parent = await mkdtemp(path.join(tmpdir(), "crewdeck-modes-"));
    const dataDir = path.join(parent, "fresh", "data");
    const server = await startTestServer({ DATA_DIR: dataDir });
    try {
      const mode = async (file: string) => (await stat(file)).mode & 0o777;
      expect(await mode(dataDir)).toBe(0o700);
      expect(await mode(path.join(dataDir, "crewdeck.db"))).toBe(0o600);
      expect(await mode(path.join(dataDir, "auth-secret"))).toBe(0o600);
    } finally {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
    }
  });
});
