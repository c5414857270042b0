import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPECTED_DEFAULT_CREW, registerUser, startTestServer, type TestServer } from "./harness";

describe("server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers /health with the database up", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: "ok", services: { database: "up" }, environment: "test" });
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });

  it("echoes the client's request id", async () => {
    const res = await fetch(`${server.url}/health`, { headers: { "x-request-id": "trace-123" } });
    expect(res.headers.get("x-request-id")).toBe("trace-123");
  });

  it("registers the first user as admin and gives them a project with the default crew", async () => {
    const alice = await registerUser(server);
    expect(alice.user.role).toBe("admin");
    const created = await server.api("POST", "/projects", {
      token: alice.access_token,
      body: { name: "Shop" },
    });
    expect(created.status).toBe(200);
    const agents = await server.api("GET", `/projects/${created.body.id}/agents`, {
      token: alice.access_token,
    });
    expect(agents.body.items.map((a: { role: string }) => a.role)).toEqual(EXPECTED_DEFAULT_CREW);
  });

  it("answers unknown API paths with a 404 in the contract's shape", async () => {
    const res = await server.api("GET", "/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "RESOURCE_NOT_FOUND" });
    expect(res.body.error.requestId).toBe(res.headers.get("x-request-id"));
  });
});
