// Authentication over REST: registration, sign-in, tokens, sessions, 2FA, rate limits and CSRF.
import { schema } from "@crewdeck/db";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer } from "./harness";

// The default register/login limits (5 and 10 per 15 minutes per IP) would trip over a whole test file.
const ROOMY_LIMITS = { RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_LOGIN_MAX: "1000" };

const expectTokenResponse = (body: Record<string, unknown>) => {
  expect(body).toMatchObject({
    access_token: expect.any(String),
    refresh_token: expect.any(String),
    token_type: "bearer",
    expires_in: 900,
    requires_2fa: false,
    user: expect.objectContaining({ id: expect.any(String), email: expect.any(String) }),
  });
};

const totpSecret = (totpUri: string) => {
  const secret = new URL(totpUri).searchParams.get("secret");
  if (!secret) throw new Error(`no secret in ${totpUri}`);
  return secret;
};

describe("auth", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(ROOMY_LIMITS);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe("register", () => {
    it("returns a token response; the first user is admin, the next a plain user", async () => {
      const res = await server.api("POST", "/auth/register", {
        body: { email: "First@Example.test", username: "first_user", password: "longenough1", name: "First" },
      });
      expect(res.status).toBe(200);
      expectTokenResponse(res.body);
      expect(res.body.user).toMatchObject({ role: "admin", username: "first_user", name: "First" });
      expect(res.body.user.email.toLowerCase()).toBe("first@example.test");
      expect(JSON.stringify(res.body)).not.toMatch(/password/i);

      const second = await server.api("POST", "/auth/register", {
        body: { email: "second@example.test", username: "second_user", password: "longenough2" },
      });
      expect(second.status).toBe(200);
      expectTokenResponse(second.body);
      expect(second.body.user.role).toBe("user");
    });

    it("refuses a taken email or username with 409 CONFLICT", async () => {
      const taken = await registerUser(server);
      const sameEmail = await server.api("POST", "/auth/register", {
        body: { email: taken.email, username: `${taken.username}x`, password: "longenough1" },
      });
      expect(sameEmail.status).toBe(409);
      expect(sameEmail.body.error.code).toBe("CONFLICT");

      const sameUsername = await server.api("POST", "/auth/register", {
        body: { email: `other-${taken.email}`, username: taken.username, password: "longenough1" },
      });
      expect(sameUsername.status).toBe(409);
      expect(sameUsername.body.error.code).toBe("CONFLICT");
    });

    it("answers invalid input with 400 VALIDATION_ERROR naming the fields", async () => {
      const res = await server.api("POST", "/auth/register", {
        body: { email: "not-an-email", password: "short" },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "VALIDATION_ERROR", requestId: expect.any(String) });
      const fields = (res.body.error.details as { field: string; message: string }[]).map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(["email", "password", "username"]));
      for (const d of res.body.error.details) expect(d.message).toEqual(expect.any(String));
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    });
  });

  describe("login and /auth/me", () => {
    it("signs in by email and by username, and refuses a wrong password", async () => {
      const u = await registerUser(server);
      const byEmail = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      expect(byEmail.status).toBe(200);
      expectTokenResponse(byEmail.body);
      expect(byEmail.body.user.id).toBe(u.user.id);

      const byUsername = await server.api("POST", "/auth/login", {
        body: { username: u.username, password: u.password },
      });
      expect(byUsername.status).toBe(200);
      expectTokenResponse(byUsername.body);
      expect(byUsername.body.user.id).toBe(u.user.id);

      const wrong = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: "wrong password" },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe("UNAUTHORIZED");
      expect(wrong.body.access_token).toBeUndefined();

      const unknown = await server.api("POST", "/auth/login", {
        body: { username: "nobody_here", password: "whatever12" },
      });
      expect(unknown.status).toBe(401);
      expect(unknown.body.error.code).toBe("UNAUTHORIZED");
    });

    it("accepts the access token and the refresh token as Bearer; refuses garbage and no credentials", async () => {
      const u = await registerUser(server);
      for (const token of [u.access_token, u.refresh_token]) {
        const me = await server.api("GET", "/auth/me", { token });
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ id: u.user.id, email: u.email, username: u.username });
      }
      const garbage = await server.api("GET", "/auth/me", { token: "not-a-real-token" });
      expect(garbage.status).toBe(401);
      expect(garbage.body.error.code).toBe("UNAUTHORIZED");

      const forgedJwt = await server.api("GET", "/auth/me", {
        token: `${u.access_token.slice(0, -4)}AAAA`,
      });
      expect(forgedJwt.status).toBe(401);

      const none = await server.api("GET", "/auth/me");
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe("UNAUTHORIZED");
    });

    it("counts logins in activity", async () => {
      const u = await registerUser(server);
      const before = await server.api("GET", "/auth/me", { token: u.access_token });
      const initial = before.body.activity.loginCount as number;
      for (let i = 0; i < 2; i++) {
        const res = await server.api("POST", "/auth/login", {
          body: { email: u.email, password: u.password },
        });
        expect(res.status).toBe(200);
      }
      const after = await server.api("GET", "/auth/me", { token: u.access_token });
      expect(after.body.activity.loginCount).toBe(initial + 2);
      expect(after.body.activity.lastLoginAt).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(after.body.activity.lastLoginAt))).toBe(false);
    });

    it("PATCH /auth/me updates the profile; a username taken by someone else is 409", async () => {
      const u = await registerUser(server);
      const other = await registerUser(server);
      const newUsername = `renamed_${u.username}`.slice(0, 32);
      const res = await server.api("PATCH", "/auth/me", {
        token: u.access_token,
        body: {
          name: "Ada Lovelace",
          title: "Engineer",
          avatarUrl: "https://example.test/ada.png",
          preferences: { theme: "dark", notifications: { email: false } },
          username: newUsername,
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        name: "Ada Lovelace",
        title: "Engineer",
        avatarUrl: "https://example.test/ada.png",
        preferences: { theme: "dark", notifications: { email: false } },
        username: newUsername,
      });

      const me = await server.api("GET", "/auth/me", { token: u.access_token });
      expect(me.body).toMatchObject({ name: "Ada Lovelace", title: "Engineer", username: newUsername });

      const login = await server.api("POST", "/auth/login", {
        body: { username: newUsername, password: u.password },
      });
      expect(login.status).toBe(200);

      const clash = await server.api("PATCH", "/auth/me", {
        token: u.access_token,
        body: { username: other.username },
      });
      expect(clash.status).toBe(409);
      expect(clash.body.error.code).toBe("CONFLICT");

      const invalid = await server.api("PATCH", "/auth/me", {
        token: u.access_token,
        body: { avatarUrl: "not a url" },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.code).toBe("VALIDATION_ERROR");
      expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toContain("avatarUrl");
    });
  });

  describe("refresh", () => {
    it("rotates the refresh token; the old one is then refused", async () => {
      const u = await registerUser(server);
      const res = await server.api("POST", "/auth/refresh", { body: { refresh_token: u.refresh_token } });
      expect(res.status).toBe(200);
      expectTokenResponse(res.body);
      expect(res.body.refresh_token).not.toBe(u.refresh_token);
      expect(res.body.user.id).toBe(u.user.id);

      const me = await server.api("GET", "/auth/me", { token: res.body.access_token });
      expect(me.status).toBe(200);
      const oldAsBearer = await server.api("GET", "/auth/me", { token: u.refresh_token });
      expect(oldAsBearer.status).toBe(401);
    });

    it("revokes the whole family when a rotated refresh token is presented again", async () => {
      const u = await registerUser(server);
      const a = u.refresh_token;
      const b = await server.api("POST", "/auth/refresh", { body: { refresh_token: a } });
      expect(b.status).toBe(200);
      expect((await server.api("GET", "/auth/me", { token: b.body.access_token })).status).toBe(200);

      const replay = await server.api("POST", "/auth/refresh", { body: { refresh_token: a } });
      expect(replay.status).toBe(401);
      expect(replay.body.error.code).toBe("UNAUTHORIZED");

      const useB = await server.api("POST", "/auth/refresh", {
        body: { refresh_token: b.body.refresh_token },
      });
      expect(useB.status).toBe(401);
      expect((await server.api("GET", "/auth/me", { token: b.body.access_token })).status).toBe(401);
      expect((await server.api("GET", "/auth/me", { token: b.body.refresh_token })).status).toBe(401);
    });

    it("refuses an unknown refresh token", async () => {
      const res = await server.api("POST", "/auth/refresh", { body: { refresh_token: "nope" } });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHORIZED");
    });
  });

  describe("logout and sessions", () => {
    it("logout with a refresh token ends that session only", async () => {
      const u = await registerUser(server);
      const second = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      const res = await server.api("POST", "/auth/logout", { body: { refresh_token: u.refresh_token } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ success: true, revoked: 1 });
      expect((await server.api("GET", "/auth/me", { token: u.refresh_token })).status).toBe(401);
      expect((await server.api("GET", "/auth/me", { token: u.access_token })).status).toBe(401);
      expect(
        (await server.api("POST", "/auth/refresh", { body: { refresh_token: u.refresh_token } })).status,
      ).toBe(401);
      expect((await server.api("GET", "/auth/me", { token: second.body.access_token })).status).toBe(200);
    });

    it("logout with allDevices ends every session of the user", async () => {
      const u = await registerUser(server);
      const other = await registerUser(server);
      const second = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      const res = await server.api("POST", "/auth/logout", {
        token: u.access_token,
        body: { allDevices: true },
      });
      expect(res.status).toBe(200);
      expect(res.body.revoked).toBeGreaterThanOrEqual(2);
      for (const token of [
        u.access_token,
        u.refresh_token,
        second.body.access_token,
        second.body.refresh_token,
      ]) {
        expect((await server.api("GET", "/auth/me", { token })).status).toBe(401);
      }
      expect((await server.api("GET", "/auth/me", { token: other.access_token })).status).toBe(200);
    });

    it("lists sessions with the caller's marked current, and revokes one by id", async () => {
      const u = await registerUser(server);
      const second = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
        headers: { "user-agent": "CrewdeckTest/1.0" },
      });
      const list = await server.api("GET", "/auth/sessions", { token: u.access_token });
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(2);
      const current = list.body.items.filter((s: { current: boolean }) => s.current);
      expect(current).toHaveLength(1);
      const other = list.body.items.find((s: { current: boolean }) => !s.current);
      expect(other).toMatchObject({
        id: expect.any(String),
        device: expect.any(String),
        expiresAt: expect.any(String),
      });
      expect(JSON.stringify(list.body)).not.toContain(u.refresh_token);
      expect(JSON.stringify(list.body)).not.toContain(second.body.refresh_token);

      const fromSecond = await server.api("GET", "/auth/sessions", { token: second.body.access_token });
      const secondCurrent = fromSecond.body.items.find((s: { current: boolean }) => s.current);
      expect(secondCurrent.id).toBe(other.id);
      expect(secondCurrent.userAgent).toBe("CrewdeckTest/1.0");

      const revoke = await server.api("DELETE", `/auth/sessions/${other.id}`, { token: u.access_token });
      expect(revoke.status).toBe(200);
      expect((await server.api("GET", "/auth/me", { token: second.body.access_token })).status).toBe(401);
      expect((await server.api("GET", "/auth/me", { token: u.access_token })).status).toBe(200);
      const after = await server.api("GET", "/auth/sessions", { token: u.access_token });
      expect(after.body.items).toHaveLength(1);
    });

    it("answers 404 for someone else's session id and leaves it alone", async () => {
      const u = await registerUser(server);
      const victim = await registerUser(server);
      const theirs = await server.api("GET", "/auth/sessions", { token: victim.access_token });
      const id = theirs.body.items[0].id as string;
      const res = await server.api("DELETE", `/auth/sessions/${id}`, { token: u.access_token });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("RESOURCE_NOT_FOUND");
      expect((await server.api("GET", "/auth/me", { token: victim.access_token })).status).toBe(200);
    });
  });

  describe("two-factor sign-in", () => {
    it("enables, confirms, challenges at login, accepts TOTP and backup codes once, and disables", async () => {
      const u = await registerUser(server);
      const wrongPassword = await server.api("POST", "/auth/2fa/enable", {
        token: u.access_token,
        body: { password: "not my password" },
      });
      // The caller is signed in, so a wrong password is a bad request, not a sign-out.
      expect(wrongPassword.status).toBe(400);
      expect(wrongPassword.body.error.code).toBe("VALIDATION_ERROR");
      expect(wrongPassword.body.totpUri).toBeUndefined();

      const enable = await server.api("POST", "/auth/2fa/enable", {
        token: u.access_token,
        body: { password: u.password },
      });
      expect(enable.status).toBe(200);
      expect(enable.body.totpUri).toMatch(/^otpauth:\/\/totp\//);
      expect(enable.body.backupCodes.length).toBeGreaterThan(1);
      const secret = totpSecret(enable.body.totpUri);

      // Not confirmed yet: login still gives tokens directly.
      const early = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      expect(early.status).toBe(200);
      expect(early.body.requires_2fa).toBe(false);

      const confirm = await server.api("POST", "/auth/2fa/verify", {
        token: u.access_token,
        body: { code: await generate({ secret }) },
      });
      expect(confirm.status).toBe(200);
      expectTokenResponse(confirm.body);
      expect(confirm.body.user.twoFactorEnabled).toBe(true);
      const me = await server.api("GET", "/auth/me", { token: confirm.body.access_token });
      expect(me.body.twoFactorEnabled).toBe(true);

      const challenge = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      expect(challenge.status).toBe(200);
      expect(challenge.body).toMatchObject({ requires_2fa: true, temp_token: expect.any(String) });
      expect(challenge.body.access_token).toBeUndefined();
      expect(challenge.body.refresh_token).toBeUndefined();

      const verified = await server.api("POST", "/auth/2fa/verify", {
        body: { temp_token: challenge.body.temp_token, code: await generate({ secret }) },
      });
      expect(verified.status).toBe(200);
      expectTokenResponse(verified.body);
      expect((await server.api("GET", "/auth/me", { token: verified.body.access_token })).status).toBe(200);

      // A wrong code is refused.
      const again = await server.api("POST", "/auth/login", {
        body: { username: u.username, password: u.password },
      });
      expect(again.body.requires_2fa).toBe(true);
      const current = await generate({ secret });
      const wrongCode = current === "000000" ? "111111" : "000000";
      const wrong = await server.api("POST", "/auth/2fa/verify", {
        body: { temp_token: again.body.temp_token, code: wrongCode },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe("UNAUTHORIZED");
      expect(wrong.body.access_token).toBeUndefined();

      // A made-up temp token is refused.
      const forged = await server.api("POST", "/auth/2fa/verify", {
        body: { temp_token: "forged-token", code: await generate({ secret }) },
      });
      expect(forged.status).toBe(401);

      // A backup code works once.
      const backup = enable.body.backupCodes[0] as string;
      const first = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      const withBackup = await server.api("POST", "/auth/2fa/verify", {
        body: { temp_token: first.body.temp_token, code: backup },
      });
      expect(withBackup.status).toBe(200);
      expectTokenResponse(withBackup.body);
      const secondTry = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      const reused = await server.api("POST", "/auth/2fa/verify", {
        body: { temp_token: secondTry.body.temp_token, code: backup },
      });
      expect(reused.status).toBe(401);

      // Disable with the password: login no longer asks.
      const disable = await server.api("POST", "/auth/2fa/disable", {
        token: withBackup.body.access_token,
        body: { password: u.password },
      });
      expect(disable.status).toBe(200);
      expectTokenResponse(disable.body);
      expect(disable.body.user.twoFactorEnabled).toBe(false);
      expect((await server.api("GET", "/auth/me", { token: disable.body.access_token })).status).toBe(200);
      const plain = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      expect(plain.status).toBe(200);
      expectTokenResponse(plain.body);
    });

    it("requires temp_token when verifying without being signed in", async () => {
      const res = await server.api("POST", "/auth/2fa/verify", { body: { code: "123456" } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain("temp_token");
    });
  });

  describe("CSRF for cookie sessions", () => {
    it("refuses a cookie-authenticated write without a trusted Origin, but serves reads", async () => {
      const u = await registerUser(server);
      const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: u.email, password: u.password }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      expect(cookie).toContain("session_token");

      const read = await server.api("GET", "/auth/me", { headers: { cookie } });
      expect(read.status).toBe(200);
      expect(read.body.id).toBe(u.user.id);

      const noOrigin = await server.api("PATCH", "/auth/me", {
        headers: { cookie },
        body: { name: "Mallory" },
      });
      expect(noOrigin.status).toBe(403);
      expect(noOrigin.body.error.code).toBe("FORBIDDEN");

      const evil = await server.api("PATCH", "/auth/me", {
        headers: { cookie, origin: "https://evil.example" },
        body: { name: "Mallory" },
      });
      expect(evil.status).toBe(403);
      expect((await server.api("GET", "/auth/me", { headers: { cookie } })).body.name).not.toBe("Mallory");
    });

    it("accepts a cookie-authenticated write from a trusted Origin", async () => {
      const trusted = "https://app.crewdeck.test";
      const s = await startTestServer({ ...ROOMY_LIMITS, TRUSTED_ORIGINS: trusted });
      try {
        const u = await registerUser(s);
        const signIn = await fetch(`${s.url}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: u.email, password: u.password }),
        });
        const cookie = signIn.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; ");
        const ok = await s.api("PATCH", "/auth/me", {
          headers: { cookie, origin: trusted },
          body: { name: "Trusted" },
        });
        expect(ok.status).toBe(200);
        expect(ok.body.name).toBe("Trusted");
      } finally {
        await s.stop();
      }
    });
  });
});

describe("access-token signing keys", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(ROOMY_LIMITS);
  });
  afterAll(async () => {
    await server.stop();
  });

  it("accepts tokens of a signing key created after start, and refuses those of a removed key", async () => {
    const before = await registerUser(server);
    expect((await server.api("GET", "/auth/me", { token: before.access_token })).status).toBe(200);

    // Keys rotate: the old one is removed, and the next sign-in creates and signs with a new one.
    await server.deps.db.delete(schema.jwks);
    const login = await server.api("POST", "/auth/login", {
      body: { email: before.email, password: before.password },
    });
    expect(login.status).toBe(200);
    const fresh = await server.api("GET", "/auth/me", { token: login.body.access_token });
    expect(fresh.status).toBe(200);
    expect(fresh.body.id).toBe(before.user.id);

    const stale = await server.api("GET", "/auth/me", { token: before.access_token });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe("UNAUTHORIZED");
  });

  it("refuses an access token from the second it expires, though it was accepted many times before", async () => {
    const brief = await startTestServer({ ...ROOMY_LIMITS, ACCESS_TOKEN_TTL_SECONDS: "2" });
    try {
      const user = await registerUser(brief);
      const { exp } = JSON.parse(Buffer.from(user.access_token.split(".")[1] ?? "", "base64url").toString());
      for (let i = 0; i < 3; i++) {
        expect((await brief.api("GET", "/auth/me", { token: user.access_token })).status).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 20));
      const expired = await brief.api("GET", "/auth/me", { token: user.access_token });
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe("UNAUTHORIZED");
    } finally {
      await brief.stop();
    }
  });
});

describe("auth rate limits", () => {
  it("limits registration per IP with the X-RateLimit headers, then 429 with Retry-After", async () => {
    const s = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "2" });
    try {
      const now = Math.floor(Date.now() / 1000);
      const register = (n: number) =>
        s.api("POST", "/auth/register", {
          body: { email: `rl${n}@example.test`, username: `rl_user${n}`, password: "longenough1" },
        });
      const first = await register(1);
      const second = await register(2);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(first.headers.get("x-ratelimit-limit")).toBe("2");
      expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
      expect(second.headers.get("x-ratelimit-remaining")).toBe("0");
      const reset = Number(first.headers.get("x-ratelimit-reset"));
      expect(reset).toBeGreaterThan(now);
      expect(reset).toBeLessThanOrEqual(now + 15 * 60 + 5);

      const third = await register(3);
      expect(third.status).toBe(429);
      expect(third.body.error.code).toBe("RATE_LIMIT_EXCEEDED");
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(third.headers.get("x-ratelimit-remaining")).toBe("0");
      // Nothing was created by the refused request.
      const login = await s.api("POST", "/auth/login", {
        body: { username: "rl_user3", password: "longenough1" },
      });
      expect(login.status).toBe(401);
    } finally {
      await s.stop();
    }
  });

  it("limits login attempts per IP and identifier", async () => {
    const s = await startTestServer({ RATE_LIMIT_LOGIN_MAX: "3" });
    try {
      const u = await registerUser(s);
      const remaining: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await s.api("POST", "/auth/login", {
          body: { email: u.email, password: i === 2 ? u.password : "wrong password" },
        });
        expect(res.headers.get("x-ratelimit-limit")).toBe("3");
        expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Math.floor(Date.now() / 1000));
        remaining.push(res.headers.get("x-ratelimit-remaining"));
      }
      expect(remaining).toEqual(["2", "1", "0"]);

      const over = await s.api("POST", "/auth/login", { body: { email: u.email, password: u.password } });
      expect(over.status).toBe(429);
      expect(over.body.error.code).toBe("RATE_LIMIT_EXCEEDED");
      expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(over.body.access_token).toBeUndefined();

      // Another identifier from the same IP is not affected.
      const other = await registerUser(s);
      const otherLogin = await s.api("POST", "/auth/login", {
        body: { email: other.email, password: other.password },
      });
      expect(otherLogin.status).toBe(200);
    } finally {
      await s.stop();
    }
  });
});
