// Login limits as an attacker meets them (issue 15, item 1): the identifier the sign-in really uses is the
// one counted, spraying from one address is capped, one account's failures from many addresses earn a
// growing but capped delay that its owner's usual address never waits for, and better-auth's own
// /api/auth/sign-in/* routes pass the same limits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, requestFrom, startTestServer, type TestServer, type TestUser } from "./harness";

const ROOMY = { RATE_LIMIT_REGISTER_MAX: "1000", RATE_LIMIT_GENERAL_PER_MINUTE: "100000" };

const login = (server: TestServer, body: Record<string, string>, ip = "127.10.0.1") =>
  server.api("POST", "/auth/login", { body, from: ip });

/** better-auth's own password sign-in, as a browser would call it. */
async function betterAuthSignIn(
  server: TestServer,
  route: "email" | "username",
  body: object,
  ip = "127.10.0.1",
) {
  const res = await requestFrom(ip, `${server.url}/api/auth/sign-in/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe("login limits", () => {
  describe("per address and account", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({
        ...ROOMY,
        RATE_LIMIT_LOGIN_MAX: "3",
        RATE_LIMIT_LOGIN_BACKOFF_FREE_FAILURES: "100",
      });
    });
    afterAll(async () => {
      await server.stop();
    });

    it("counts the username a sign-in uses, not a random email sent beside it", async () => {
      const victim = await registerUser(server);
      for (let i = 0; i < 3; i++) {
        const guess = await login(server, {
          email: `random${i}@example.test`,
          username: victim.username,
          password: `guess number ${i}`,
        });
        expect(guess.status).toBe(401);
      }
      const next = await login(server, {
        email: "yet-another@example.test",
        username: victim.username.toUpperCase(),
        password: victim.password,
      });
      expect(next.status).toBe(429);
      expect(next.body.error.code).toBe("RATE_LIMIT_EXCEEDED");
      expect(Number(next.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(next.body.access_token).toBeUndefined();
    });

    it("gives an account's email and username one budget", async () => {
      const victim = await registerUser(server);
      await login(server, { username: victim.username, password: "wrong one" }, "127.10.0.2");
      await login(server, { email: victim.email.toUpperCase(), password: "wrong two" }, "127.10.0.2");
      await login(server, { username: victim.username, password: "wrong three" }, "127.10.0.2");
      const byEmail = await login(server, { email: victim.email, password: victim.password }, "127.10.0.2");
      expect(byEmail.status).toBe(429);
    });

    it("holds for better-auth's own sign-in routes, in the contract's shape", async () => {
      const victim = await registerUser(server);
      const ip = "127.10.0.3";
      for (let i = 0; i < 3; i++) {
        const guess = await betterAuthSignIn(
          server,
          "username",
          { username: victim.username, password: `no${i}` },
          ip,
        );
        expect(guess.status).toBe(401);
      }
      const rest = await login(server, { email: victim.email, password: victim.password }, ip);
      expect(rest.status).toBe(429);
      const own = await betterAuthSignIn(
        server,
        "email",
        { email: victim.email, password: victim.password },
        ip,
      );
      expect(own.status).toBe(429);
      expect(own.body.error.code).toBe("RATE_LIMIT_EXCEEDED");
      expect(Number(own.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(own.headers.getSetCookie().some((c) => c.includes("session_token"))).toBe(false);
      // Another address is not affected.
      const elsewhere = await betterAuthSignIn(
        server,
        "email",
        { email: victim.email, password: victim.password },
        "127.10.0.4",
      );
      expect(elsewhere.status).toBe(200);
    });
  });

  it("caps one address's attempts across accounts (password spraying)", async () => {
    const server = await startTestServer({ ...ROOMY, RATE_LIMIT_LOGIN_IP_MAX: "4" });
    try {
      const users = [];
      for (let i = 0; i < 5; i++) users.push(await registerUser(server));
      const answers = [];
      for (const user of users) {
        answers.push(
          (await login(server, { username: user.username, password: "Summer2026!" }, "127.11.0.1")).status,
        );
      }
      expect(answers).toEqual([401, 401, 401, 401, 429]);
      // Someone at another address is not affected.
      const other = users[4]!;
      expect(
        (await login(server, { username: other.username, password: other.password }, "127.11.0.2")).status,
      ).toBe(200);
    } finally {
      await server.stop();
    }
  });

  describe("per-account backoff", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({
        ...ROOMY,
        RATE_LIMIT_LOGIN_BACKOFF_FREE_FAILURES: "2",
        RATE_LIMIT_LOGIN_BACKOFF_MAX_SECONDS: "2",
      });
    });
    afterAll(async () => {
      await server.stop();
    });

    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    /** Wrong guesses at `owner`, each from a new address, until the gate is shut for the 2 s cap. */
    async function intoBackoff(owner: TestUser, net: string) {
      const guess = (n: number) =>
        login(server, { username: owner.username, password: `guess ${n}` }, `${net}.${n}`);
      expect((await guess(1)).status).toBe(401);
      expect((await guess(2)).status).toBe(401);
      // Past the free failures, one attempt gets through and the gate shuts: 1 s, then 2 s (the cap).
      expect((await guess(3)).status).toBe(401);
      await sleep(1_100);
      expect((await guess(4)).status).toBe(401);
      return guess;
    }

    it("makes failures from many addresses wait, never longer than the cap, and a success resets it", async () => {
      const owner = await registerUser(server);
      const guess = await intoBackoff(owner, "127.12.0");
      const waiting = await guess(5);
      expect(waiting.status).toBe(429);
      expect(waiting.body.error.code).toBe("RATE_LIMIT_EXCEEDED");
      const retryAfter = Number(waiting.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(2);
      // Even the right password waits, from an address the account never signed in from…
      const early = await login(server, { email: owner.email, password: owner.password }, "127.12.1.1");
      expect(early.status).toBe(429);
      // …but no longer than the cap.
      await sleep(2_100);
      const later = await login(server, { email: owner.email, password: owner.password }, "127.12.1.1");
      expect(later.status).toBe(200);
      // The success started the count over: the next failures are free again.
      expect((await guess(6)).status).toBe(401);
      expect((await guess(7)).status).toBe(401);
    });

    it("never makes the owner wait at an address they signed in from before", async () => {
      const owner = await registerUser(server);
      const home = "127.13.0.1";
      expect((await login(server, { username: owner.username, password: owner.password }, home)).status).toBe(
        200,
      );
      await intoBackoff(owner, "127.13.1");
      const attacker = await login(
        server,
        { username: owner.username, password: owner.password },
        "127.13.2.1",
      );
      expect(attacker.status).toBe(429);
      const atHome = await login(server, { username: owner.username, password: owner.password }, home);
      expect(atHome.status).toBe(200);
      expect(atHome.body.access_token).toEqual(expect.any(String));
    });

    it("lets only one of many parallel guesses through while the account is in backoff", async () => {
      const owner = await registerUser(server);
      for (let n = 1; n <= 2; n++) {
        await login(server, { username: owner.username, password: `free ${n}` }, `127.14.0.${n}`);
      }
      const burst = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          login(server, { username: owner.username, password: `burst ${n}` }, `127.14.1.${n}`),
        ),
      );
      const statuses = burst.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(1);
      expect(statuses.filter((s) => s === 429)).toHaveLength(9);
    });
  });

  describe("better-auth's own routes", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(ROOMY);
    });
    afterAll(async () => {
      await server.stop();
    });

    it("serves none of the routes that have a Crewdeck twin (list-sessions leaked other sessions' tokens)", async () => {
      const user = await registerUser(server);
      const signIn = await betterAuthSignIn(server, "email", { email: user.email, password: user.password });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      const origin = new URL(server.url).origin;
      for (const [method, route, body] of [
        ["GET", "/list-sessions", undefined],
        ["GET", "/get-session", undefined],
        ["POST", "/change-password", { currentPassword: user.password, newPassword: "another long one" }],
        ["POST", "/sign-up/email", { email: "x@example.test", password: "whatever long", name: "x" }],
        ["POST", "/two-factor/enable", { password: user.password }],
        ["POST", "/two-factor/verify-totp", { code: "123456" }],
        ["POST", "/api-key/create", { name: "sneaky" }],
      ] as const) {
        const res = await fetch(`${server.url}/api/auth${route}`, {
          method,
          headers: { cookie, origin, ...(body && { "content-type": "application/json" }) },
          body: body && JSON.stringify(body),
        });
        expect({ route, status: res.status }).toEqual({ route, status: 404 });
        const answer = (await res.json()) as { error: { code: string } };
        expect(answer.error.code).toBe("RESOURCE_NOT_FOUND");
        expect(JSON.stringify(answer)).not.toContain(user.refresh_token);
      }
    });

    it("marks every /api/auth answer Cache-Control: no-store", async () => {
      const user = await registerUser(server);
      const signIn = await betterAuthSignIn(server, "email", { email: user.email, password: user.password });
      expect(signIn.headers.get("cache-control")).toBe("no-store");
      const jwks = await fetch(`${server.url}/api/auth/jwks`);
      expect(jwks.status).toBe(200);
      expect(jwks.headers.get("cache-control")).toBe("no-store");
    });
  });
});
