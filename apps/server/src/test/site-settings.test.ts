// Site settings over REST: the environment's defaults until an administrator changes them, kept across restarts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

describe("site settings", () => {
  let server: TestServer;
  let dataDir: string;
  let admin: TestUser;
  let member: TestUser;
  const env = { SIGNUP_MODE: "open", DEFAULT_DAILY_SPEND_CAP_USD: "2.5" };

  beforeAll(async () => {
    server = await startTestServer(env);
    dataDir = server.dataDir;
    admin = await registerUser(server);
    member = await registerUser(server);
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers the environment's values, and says they are the defaults", async () => {
    const res = await server.api("GET", "/admin/settings", { token: admin.access_token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      signupMode: "open",
      dailySpendCapUsd: 2.5,
      defaults: { signupMode: "open", dailySpendCapUsd: 2.5 },
    });
  });

  it("is an administrator's alone", async () => {
    const read = await server.api("GET", "/admin/settings", { token: member.access_token });
    expect(read.status).toBe(403);
    const write = await server.api("PATCH", "/admin/settings", {
      token: member.access_token,
      body: { signupMode: "closed" },
    });
    expect(write.status).toBe(403);
    expect(write.body.error.code).toBe("FORBIDDEN");
    const after = await server.api("GET", "/admin/settings", { token: admin.access_token });
    expect(after.body.signupMode).toBe("open");
  });

  it("refuses values outside the allowed ones, changing nothing", async () => {
    for (const body of [{ signupMode: "everyone" }, { dailySpendCapUsd: -1 }, { dailySpendCapUsd: "5" }]) {
      const res = await server.api("PATCH", "/admin/settings", { token: admin.access_token, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
    }
    const after = await server.api("GET", "/admin/settings", { token: admin.access_token });
    expect(after.body).toMatchObject({ signupMode: "open", dailySpendCapUsd: 2.5 });
  });

  it("changes one setting at a time, and keeps the change across a restart", async () => {
    const changed = await server.api("PATCH", "/admin/settings", {
      token: admin.access_token,
      body: { dailySpendCapUsd: 0.75 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ signupMode: "open", dailySpendCapUsd: 0.75 });
    const again = await server.api("PATCH", "/admin/settings", {
      token: admin.access_token,
      body: { signupMode: "closed" },
    });
    expect(again.body).toMatchObject({ signupMode: "closed", dailySpendCapUsd: 0.75 });

    await server.close();
    server = await startTestServer({ ...env, DATA_DIR: dataDir });
    const login = await server.api("POST", "/auth/login", {
      body: { email: admin.email, password: admin.password },
    });
    const res = await server.api("GET", "/admin/settings", { token: login.body.access_token });
    expect(res.body).toEqual({
      signupMode: "closed",
      dailySpendCapUsd: 0.75,
      defaults: { signupMode: "open", dailySpendCapUsd: 2.5 },
    });
  });
});
