// Answers given before the request body was read (a 413 for an oversized body, a 401 or 404 before an
// upload is read) must not leave the rest of that body on a kept-alive connection: the client's next
// requests on the same connection must succeed.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer } from "./harness";

type Answer = { status: number; connection: string | undefined; body: string };

/** One request through `agent` (a single kept-alive socket), with a body of `bodyBytes` bytes when given. */
function request(
  agent: http.Agent,
  url: string,
  method: string,
  opts: { bodyBytes?: number; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const body = opts.bodyBytes === undefined ? undefined : Buffer.alloc(opts.bodyBytes, "a");
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: { ...opts.headers, ...(body && { "content-length": String(body.length) }) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("early answers on kept-alive connections", () => {
  let server: TestServer;
  let token: string;
  const MAX_JSON = 64 * 1024;
  const MAX_UPLOAD = 256 * 1024;
  /** Well past both limits, and past what the Node adapter drains in its half second. */
  const OVERSIZED = 8 * 1024 * 1024;

  beforeAll(async () => {
    server = await startTestServer({
      MAX_JSON_BODY_BYTES: String(MAX_JSON),
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
    });
    token = (await registerUser(server)).access_token;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const json = { "content-type": "application/json" };
  const cases: { name: string; path: string; status: number; headers: () => Record<string, string> }[] = [
    {
      name: "an oversized JSON body (REST)",
      path: "/api/v1/projects",
      status: 413,
      headers: () => ({ ...json, authorization: `Bearer ${token}` }),
    },
    {
      name: "an oversized JSON body (tRPC)",
      path: "/trpc/projects.create",
      status: 413,
      headers: () => json,
    },
    {
      name: "an oversized JSON body (sign-in)",
      path: "/api/auth/sign-in/email",
      status: 413,
      headers: () => json,
    },
    {
      name: "an oversized upload",
      path: "/api/v1/files",
      status: 413,
      headers: () => ({
        "content-type": "multipart/form-data; boundary=x",
        authorization: `Bearer ${token}`,
      }),
    },
    {
      name: "an upload without credentials",
      path: "/api/v1/files",
      status: 401,
      headers: () => ({ "content-type": "multipart/form-data; boundary=x" }),
    },
    { name: "a body sent to no endpoint", path: "/api/no-such-thing", status: 404, headers: () => json },
  ];

  it.each(cases)("answers $name, then serves two more requests on the same connection", async (c) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const refused = await request(agent, `${server.url}${c.path}`, "POST", {
        bodyBytes: OVERSIZED,
        headers: c.headers(),
      });
      expect(refused.status).toBe(c.status);
      // The rest of the body is never read: the connection closes rather than carry it into the next request.
      expect(refused.connection).toBe("close");
      for (let i = 0; i < 2; i++) {
        const next = await request(agent, `${server.url}/api/v1/auth/me`, "GET", {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(next.status).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });

  it("keeps the connection open after a request whose body was read in full, even when it is refused", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const invalid = await request(agent, `${server.url}/api/v1/projects`, "POST", {
        bodyBytes: 10,
        headers: { ...json, authorization: `Bearer ${token}` },
      });
      expect(invalid.status).toBe(400);
      expect(invalid.connection).toBe("keep-alive");
      const next = await request(agent, `${server.url}/api/v1/auth/me`, "GET", {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(next.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
