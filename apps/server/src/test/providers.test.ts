// Model provider settings over REST: administrators store keys (never shown again) and base URLs that win over
// the environment's; /health and real model calls follow at once.
import {
  type FakeAnthropic,
  type FakeOpenAi,
  startFakeAnthropic,
  startFakeOpenAi,
} from "@crewdeck/engine/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUser, startTestServer, type TestServer, type TestUser } from "./harness";

const ADMIN_KEY = "sk-ant-admin-secret-key-9876";

describe("model provider settings", () => {
  let server: TestServer;
  let anthropic: FakeAnthropic;
  let openai: FakeOpenAi;
  let admin: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    anthropic = await startFakeAnthropic({ apiKey: ADMIN_KEY, defaultText: "hello from the fake" });
    openai = await startFakeOpenAi();
    // Anthropic has nothing in the environment; the OpenAI-compatible provider is a keyless local server.
    server = await startTestServer({ RATE_LIMIT_REGISTER_MAX: "1000", OPENAI_BASE_URL: openai.url });
    admin = await registerUser(server); // the first account is the administrator
    member = await registerUser(server);
    expect(admin.user.role).toBe("admin");
    expect(member.user.role).toBe("user");
  });
  afterAll(async () => {
    await server.stop();
    await Promise.all([anthropic.close(), openai.close()]);
  });

  const as = (user: TestUser) => ({ token: user.access_token });
  const health = async () => (await server.api("GET", "/health")).body.services.modelProviders;
  const storedRows = () => server.deps.db.$client.execute("select * from provider_settings");

  it("refuses everyone but administrators, and changes nothing for them", async () => {
    for (const [method, path, body] of [
      ["GET", "/admin/providers", undefined],
      ["PUT", "/admin/providers/anthropic", { apiKey: "sk-ant-intruder-0000" }],
      ["DELETE", "/admin/providers/openai", undefined],
    ] as const) {
      const res = await server.api(method, path, { ...as(member), body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
      expect((await server.api(method, path, { body })).status).toBe(401);
    }
    expect((await storedRows()).rows).toHaveLength(0);
  });

  it("lists each provider with where its settings come from", async () => {
    const res = await server.api("GET", "/admin/providers", as(admin));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        provider: "anthropic",
        configured: false,
        source: "none",
        baseUrl: null,
        keyHint: null,
        issue: expect.stringContaining("ANTHROPIC_API_KEY"),
      },
      {
        provider: "openai",
        configured: true,
        source: "environment",
        baseUrl: openai.url,
        keyHint: null,
        issue: null,
      },
    ]);
    expect(await health()).toEqual({ anthropic: "not-configured", openai: "up" });
  });

  it("stores a key that is never shown again, and /health and model calls use it at once", async () => {
    const put = await server.api("PUT", "/admin/providers/anthropic", {
      ...as(admin),
      body: { apiKey: ADMIN_KEY, baseUrl: anthropic.url },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      provider: "anthropic",
      configured: true,
      source: "admin",
      baseUrl: anthropic.url,
      keyHint: "…9876",
      issue: null,
    });
    const list = await server.api("GET", "/admin/providers", as(admin));
    expect(JSON.stringify(list.body)).not.toContain(ADMIN_KEY);
    expect(JSON.stringify(put.body)).not.toContain(ADMIN_KEY);
    const rows = (await storedRows()).rows;
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(ADMIN_KEY);
    expect(rows[0]?.updated_by_id).toBe(admin.user.id);

    expect(await health()).toEqual({ anthropic: "up", openai: "up" });

    // The server's own registry now reaches the admin's server with the admin's key.
    const provider = await server.deps.engine.providers.get("anthropic");
    const reply = await provider.stream({
      model: "claude-haiku-4-5",
      system: "You are the architect.",
      messages: [{ role: "user", content: "Hi" }],
      maxTokens: 64,
      temperature: 0,
    });
    expect(reply.content).toEqual([{ type: "text", text: "hello from the fake" }]);
    expect(anthropic.requests.at(-1)?.headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
  });

  it("forgets one field with null and keeps the ones left out", async () => {
    const cleared = await server.api("PUT", "/admin/providers/anthropic", {
      ...as(admin),
      body: { apiKey: null },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({
      configured: false,
      source: "admin",
      baseUrl: anthropic.url,
      keyHint: null,
      issue: expect.stringContaining("without an API key"),
    });
    expect(await health()).toMatchObject({ anthropic: "not-configured" });
  });

  it("replaces the environment's settings as a whole, and DELETE brings them back", async () => {
    const put = await server.api("PUT", "/admin/providers/openai", {
      ...as(admin),
      body: { apiKey: "sk-openai-admin-key-5555" },
    });
    expect(put.body).toMatchObject({ source: "admin", baseUrl: null, keyHint: "…5555", configured: true });

    const reset = await server.api("DELETE", "/admin/providers/openai", as(admin));
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({
      provider: "openai",
      configured: true,
      source: "environment",
      baseUrl: openai.url,
      keyHint: null,
      issue: null,
    });
    const anthropicReset = await server.api("DELETE", "/admin/providers/anthropic", as(admin));
    expect(anthropicReset.body).toMatchObject({ source: "none", configured: false });
    expect((await storedRows()).rows).toHaveLength(0);
    expect(await health()).toEqual({ anthropic: "not-configured", openai: "up" });
  });

  it("moves a stored key to another host only when the key is sent again", async () => {
    const put = (body: unknown) => server.api("PUT", "/admin/providers/anthropic", { ...as(admin), body });
    expect((await put({ apiKey: ADMIN_KEY, baseUrl: anthropic.url })).status).toBe(200);
    const before = (await storedRows()).rows;

    for (const baseUrl of ["https://attacker.example/v1", null]) {
      const moved = await put({ baseUrl });
      expect(moved.status, String(baseUrl)).toBe(400);
      expect(moved.body.error.code).toBe("VALIDATION_ERROR");
      expect(moved.body.error.details).toContainEqual({ field: "apiKey", message: expect.any(String) });
      expect(moved.body.error.message).toMatch(/key/i);
    }
    expect((await storedRows()).rows).toEqual(before);

    // The same base URL again changes no host; with the key re-entered (or forgotten) a move is fine.
    expect((await put({ baseUrl: anthropic.url })).status).toBe(200);
    const rekeyed = await put({ baseUrl: "https://proxy.example/v1", apiKey: "sk-ant-proxy-key-4321" });
    expect(rekeyed.status).toBe(200);
    expect(rekeyed.body).toMatchObject({ baseUrl: "https://proxy.example/v1", keyHint: "…4321" });
    const forgotten = await put({ baseUrl: anthropic.url, apiKey: null });
    expect(forgotten.status).toBe(200);
    expect(forgotten.body).toMatchObject({ baseUrl: anthropic.url, keyHint: null });
    expect((await server.api("DELETE", "/admin/providers/anthropic", as(admin))).status).toBe(200);
  });

  it("answers bad input with 400 and the failing fields", async () => {
    const cases: Array<[string, unknown, string]> = [
      ["/admin/providers/anthropic", { baseUrl: "ftp://models.example" }, "baseUrl"],
      ["/admin/providers/anthropic", { baseUrl: "not a url" }, "baseUrl"],
      ["/admin/providers/anthropic", { apiKey: 12345 }, "apiKey"],
      ["/admin/providers/anthropic", { apiKey: "   " }, "apiKey"],
      ["/admin/providers/anthropic", {}, "apiKey"],
      ["/admin/providers/mistral", { apiKey: "sk-whatever-1234" }, "provider"],
    ];
    for (const [path, body, field] of cases) {
      const res = await server.api("PUT", path, { ...as(admin), body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_ERROR");
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await storedRows()).rows).toHaveLength(0);
  });
});
