// The client's address behind proxies (TRUST_PROXY): the address next to the last trusted hop of
// X-Forwarded-For, never the leftmost entry, which the client writes itself. It is what sessions record
// and what the per-address rate limits count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../env";
import { registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

/** Signs in with X-Forwarded-For as given, and answers the address the new session recorded. */
async function sessionAddress(server: TestServer, user: TestUser, forwardedFor: string) {
  const login = await server.api("POST", "/auth/login", {
    body: { username: user.username, password: user.password },
    headers: { "x-forwarded-for": forwardedFor },
  });
  expect(login.status).toBe(200);
  const sessions = await server.api("GET", "/auth/sessions", { token: login.body.access_token });
  const current = sessions.body.items.find((s: { current: boolean }) => s.current);
  return current.ipAddress as string | null;
}

describe("the client's address behind proxies", () => {
  const servers: Record<string, TestServer> = {};
  const users: Record<string, TestUser> = {};
  const settings = { none: "", oneHop: "true", twoHops: "2", list: "loopback, 10.0.0.0/8" };

  beforeAll(async () => {
    await Promise.all(
      Object.entries(settings).map(async ([name, value]) => {
        const server = await startTestServer({ TRUST_PROXY: value, RATE_LIMIT_LOGIN_MAX: "3" });
        servers[name] = server;
        users[name] = await registerUser(server);
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((server) => server.stop()));
  });

  it("ignores X-Forwarded-For unless told to trust a proxy", async () => {
    const { none } = servers;
    expect(await sessionAddress(none as TestServer, users.none as TestUser, "203.0.113.9")).toBe("127.0.0.1");
  });

  it("with one trusted hop, takes the address the proxy appended, not the leftmost one the client sent", async () => {
    const server = servers.oneHop as TestServer;
    expect(await sessionAddress(server, users.oneHop as TestUser, "6.6.6.6, 198.51.100.7")).toBe(
      "198.51.100.7",
    );
  });

  it("with two trusted hops or a list of proxies, walks past exactly those", async () => {
    expect(
      await sessionAddress(
        servers.twoHops as TestServer,
        users.twoHops as TestUser,
        "6.6.6.6, 198.51.100.7, 10.1.2.3",
      ),
    ).toBe("198.51.100.7");
    expect(
      await sessionAddress(
        servers.list as TestServer,
        users.list as TestUser,
        "6.6.6.6, 198.51.100.7, 10.1.2.3",
      ),
    ).toBe("198.51.100.7");
    // An address outside the list is the client, however many entries precede it.
    expect(
      await sessionAddress(servers.list as TestServer, users.list as TestUser, "6.6.6.6, 203.0.113.50"),
    ).toBe("203.0.113.50");
  });

  it("counts sign-in failures against the real address, whatever leftmost address the client makes up", async () => {
    const server = servers.oneHop as TestServer;
    const user = users.oneHop as TestUser;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await server.api("POST", "/auth/login", {
        body: { username: user.username, password: "wrong password" },
        headers: { "x-forwarded-for": `6.6.6.${i}, 198.51.100.99` },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });

  it("reads TRUST_PROXY as false, a hop count (true is one) or a list of addresses and ranges", () => {
    const trust = (value: string) => parseEnv({ TRUST_PROXY: value }).TRUST_PROXY;
    expect(trust("")).toBe(false);
    expect(trust("false")).toBe(false);
    expect(trust("true")).toBe(1);
    expect(trust("3")).toBe(3);
    expect(trust("10.0.0.1, 192.168.0.0/16, loopback")).toEqual(["10.0.0.1", "192.168.0.0/16", "loopback"]);
    expect(() => trust("proxy.example")).toThrow(EnvError);
  });
});
