// Passwords (issue 15, "Low"): common and breached ones are refused, a change ends the other sessions,
// deleting the account takes the password again, and responses that carry credentials are no-store.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer } from "./harness";

const ROOMY = {
  RATE_LIMIT_REGISTER_MAX: "1000",
  RATE_LIMIT_LOGIN_MAX: "1000",
  RATE_LIMIT_GENERAL_PER_MINUTE: "100000",
};
const fieldsOf = (body: { error: { details?: Array<{ field: string }> } }) =>
  (body.error.details ?? []).map((d) => d.field);

describe("passwords", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(ROOMY);
  });
  afterAll(async () => {
    await server.stop();
  });

  describe("common and breached passwords", () => {
    it("are refused at registration with 400 VALIDATION_ERROR on password, in any letter case", async () => {
      for (const [n, password] of ["password", "12345678", "Password1", "iloveyou", "QWERTYUIOP"].entries()) {
        const res = await server.api("POST", "/auth/register", {
          body: { email: `common${n}@example.test`, username: `common_${n}`, password },
        });
        expect({ password, status: res.status }).toEqual({ password, status: 400 });
        expect(res.body.error.code).toBe("VALIDATION_ERROR");
        expect(fieldsOf(res.body)).toEqual(["password"]);
        expect(res.body.access_token).toBeUndefined();
      }
      const login = await server.api("POST", "/auth/login", {
        body: { username: "common_0", password: "password" },
      });
      // Sign-in answers as for any unknown account (better-auth hashes the guess anyway, to even out timings).
      expect(login.status).toBe(401);
    });

    it("still accept a long uncommon passphrase, and keep the minimum of 8", async () => {
      const short = await server.api("POST", "/auth/register", {
        body: { email: "short@example.test", username: "short_pw", password: "x7#kQ2!" },
      });
      expect(short.status).toBe(400);
      expect(fieldsOf(short.body)).toEqual(["password"]);
      const fine = await server.api("POST", "/auth/register", {
        body: { email: "fine@example.test", username: "fine_pw", password: "correct horse battery" },
      });
      expect(fine.status).toBe(200);
    });
  });

  describe("POST /auth/password", () => {
    it("changes the password and ends every other session, keeping the one that asked", async () => {
      const u = await registerUser(server);
      const other = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      const third = await server.api("POST", "/auth/login", {
        body: { username: u.username, password: u.password },
      });
      expect(other.status).toBe(200);
      expect(third.status).toBe(200);

      const newPassword = "a fresh and private passphrase";
      const change = await server.api("POST", "/auth/password", {
        token: u.access_token,
        body: { currentPassword: u.password, newPassword },
      });
      expect(change.status).toBe(200);
      expect(change.body).toEqual({ success: true, revoked: 2 });

      // The asking session goes on.
      expect((await server.api("GET", "/auth/me", { token: u.access_token })).status).toBe(200);
      const sessions = await server.api("GET", "/auth/sessions", { token: u.access_token });
      expect(sessions.body.items).toHaveLength(1);
      expect(sessions.body.items[0].current).toBe(true);
      // The others end, access and refresh tokens alike.
      for (const session of [other.body, third.body]) {
        expect((await server.api("GET", "/auth/me", { token: session.access_token })).status).toBe(401);
        const refresh = await server.api("POST", "/auth/refresh", {
          body: { refresh_token: session.refresh_token },
        });
        expect(refresh.status).toBe(401);
      }
      // Only the new password signs in.
      expect(
        (await server.api("POST", "/auth/login", { body: { email: u.email, password: u.password } })).status,
      ).toBe(401);
      const fresh = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: newPassword },
      });
      expect(fresh.status).toBe(200);
    });

    it("refuses a wrong current password or a common new one, and changes nothing", async () => {
      const u = await registerUser(server);
      const other = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      const wrong = await server.api("POST", "/auth/password", {
        token: u.access_token,
        body: { currentPassword: "not the password", newPassword: "another fine passphrase" },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.code).toBe("VALIDATION_ERROR");
      expect(fieldsOf(wrong.body)).toEqual(["currentPassword"]);

      const common = await server.api("POST", "/auth/password", {
        token: u.access_token,
        body: { currentPassword: u.password, newPassword: "password123" },
      });
      expect(common.status).toBe(400);
      expect(fieldsOf(common.body)).toEqual(["newPassword"]);

      expect((await server.api("GET", "/auth/me", { token: other.body.access_token })).status).toBe(200);
      expect(
        (await server.api("POST", "/auth/login", { body: { email: u.email, password: u.password } })).status,
      ).toBe(200);
    });
  });

  describe("DELETE /users/me", () => {
    it("takes the password again, in the body", async () => {
      const u = await registerUser(server);
      const none = await server.api("DELETE", "/users/me", { token: u.access_token });
      expect(none.status).toBe(400);
      expect(fieldsOf(none.body)).toEqual(["password"]);
      const wrong = await server.api("DELETE", "/users/me", {
        token: u.access_token,
        body: { password: "not the password" },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.code).toBe("VALIDATION_ERROR");
      expect(fieldsOf(wrong.body)).toEqual(["password"]);
      expect((await server.api("GET", "/auth/me", { token: u.access_token })).status).toBe(200);

      const deleted = await server.api("DELETE", "/users/me", {
        token: u.access_token,
        body: { password: u.password },
      });
      expect(deleted.status).toBe(200);
      expect(
        (await server.api("POST", "/auth/login", { body: { email: u.email, password: u.password } })).status,
      ).toBe(401);
    });

    it("takes it over tRPC too, as the web app calls it", async () => {
      const u = await registerUser(server);
      const call = (password?: string) =>
        fetch(`${server.url}/trpc/users.deleteMe`, {
          method: "POST",
          headers: { authorization: `Bearer ${u.access_token}`, "content-type": "application/json" },
          body: JSON.stringify(password === undefined ? {} : { password }),
        });
      expect((await call()).status).toBe(400);
      expect((await call("not the password")).status).toBe(400);
      expect((await call(u.password)).status).toBe(200);
    });
  });

  describe("responses that carry credentials", () => {
    it("are Cache-Control: no-store over REST and tRPC", async () => {
      const u = await registerUser(server);
      const noStore = (label: string, headers: Headers) =>
        expect({ label, cacheControl: headers.get("cache-control") }).toEqual({
          label,
          cacheControl: "no-store",
        });

      const register = await server.api("POST", "/auth/register", {
        body: { email: "nostore@example.test", username: "no_store", password: "correct horse battery" },
      });
      noStore("register", register.headers);
      const login = await server.api("POST", "/auth/login", {
        body: { email: u.email, password: u.password },
      });
      noStore("login", login.headers);
      const refresh = await server.api("POST", "/auth/refresh", {
        body: { refresh_token: login.body.refresh_token },
      });
      noStore("refresh", refresh.headers);
      const key = await server.api("POST", "/api-keys", { token: u.access_token, body: { name: "ci" } });
      expect(key.status).toBe(200);
      noStore("api key", key.headers);
      const enable = await server.api("POST", "/auth/2fa/enable", {
        token: u.access_token,
        body: { password: u.password },
      });
      expect(enable.body.backupCodes).toBeDefined();
      noStore("2fa enable", enable.headers);

      const trpcLogin = await fetch(`${server.url}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: u.email, password: u.password }),
      });
      expect(trpcLogin.status).toBe(200);
      noStore("tRPC login", trpcLogin.headers);
    });
  });
});
