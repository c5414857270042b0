// The second factor as an attacker meets it (issue 15, item 6): a TOTP code completes one sign-in only,
// and guesses are limited per account (across addresses) as well as per address.
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enableTwoFactor, registerUser, startTestServer, type TestServer } from "./harness";

const ROOMY = {
  RATE_LIMIT_REGISTER_MAX: "1000",
  RATE_LIMIT_LOGIN_MAX: "1000",
  RATE_LIMIT_GENERAL_PER_MINUTE: "100000",
};

/** A fresh challenge for `user` (password right, second factor pending), from a given address. */
async function challenge(
  server: TestServer,
  user: { username: string; password: string },
  ip = "127.19.0.1",
) {
  const res = await server.api("POST", "/auth/login", {
    body: { username: user.username, password: user.password },
    from: ip,
  });
  expect(res.body.requires_2fa).toBe(true);
  return res.body.temp_token as string;
}

const verify = (server: TestServer, tempToken: string, code: string, ip = "127.19.0.1") =>
  server.api("POST", "/auth/2fa/verify", { body: { temp_token: tempToken, code }, from: ip });

describe("two-factor sign-in", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...ROOMY, RATE_LIMIT_2FA_MAX: "3" });
  });
  afterAll(async () => {
    await server.stop();
  });

  it("refuses a TOTP code that already completed a sign-in", async () => {
    const user = await registerUser(server);
    const { secret } = await enableTwoFactor(server, user);
    const first = await challenge(server, user);
    const second = await challenge(server, user, "127.19.0.2");
    const code = await generate({ secret });
    const signedIn = await verify(server, first, code);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.access_token).toEqual(expect.any(String));
    const replay = await verify(server, second, code, "127.19.0.2");
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("UNAUTHORIZED");
    expect(replay.body.access_token).toBeUndefined();
  });

  it("lets only one of two sign-ins racing with the same code through", async () => {
    const user = await registerUser(server);
    const { secret } = await enableTwoFactor(server, user);
    const tokens = [await challenge(server, user, "127.19.1.1"), await challenge(server, user, "127.19.1.2")];
    const code = await generate({ secret });
    const answers = await Promise.all(tokens.map((t, i) => verify(server, t, code, `127.19.1.${i + 1}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
  });

  it("limits guesses per account, whatever address they come from", async () => {
    const user = await registerUser(server);
    const { secret } = await enableTwoFactor(server, user);
    const wrong = async () => ((await generate({ secret })) === "000000" ? "111111" : "000000");
    for (let n = 1; n <= 3; n++) {
      const ip = `127.19.2.${n}`;
      const guess = await verify(server, await challenge(server, user, ip), await wrong(), ip);
      expect(guess.status).toBe(401);
    }
    const ip = "127.19.2.9";
    const right = await verify(server, await challenge(server, user, ip), await generate({ secret }), ip);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe("RATE_LIMIT_EXCEEDED");
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(right.body.access_token).toBeUndefined();
  });

  it("limits guesses per address, whatever account they are for", async () => {
    const ip = "127.19.3.1";
    const answers = [];
    for (let n = 0; n < 4; n++) {
      const user = await registerUser(server);
      await enableTwoFactor(server, user);
      answers.push((await verify(server, await challenge(server, user, ip), "123456", ip)).status);
    }
    expect(answers.slice(0, 3).every((s) => s === 401 || s === 200)).toBe(true);
    expect(answers[3]).toBe(429);
  });
});
