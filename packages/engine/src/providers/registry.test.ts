// The provider registry on a real libSQL file: credentials from the environment or an administrator's
// stored settings (which win, and are encrypted at rest), and calls that reach the configured server.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  createDatabase,
  type Database,
  migrateDatabase,
  openSecret,
  SecretBoxError,
  schema,
  sealSecret,
} from "@crewdeck/db";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EngineError } from "../errors";
import { type FakeAnthropic, type FakeOpenAi, startFakeAnthropic, startFakeOpenAi } from "../testing";
import {
  clearProviderSettings,
  describeProviders,
  type ProviderEnvironment,
  setProviderSettings,
} from "./provider-settings";
import { createProviderRegistry } from "./registry";
import type { ModelRequest } from "./types";

const SECRET = "a-server-secret-of-at-least-thirty-two-chars";
const ENV_KEY = "sk-ant-from-environment-1111";
const ADMIN_KEY = "sk-ant-from-the-admin-2222";

const request: ModelRequest = {
  model: "claude-haiku-4-5",
  system: "You are the product manager.",
  messages: [{ role: "user", content: "Hi" }],
  maxTokens: 100,
  temperature: 0,
};

async function engineError(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => {
      throw new Error("expected an EngineError");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe("provider registry", () => {
  let dir: string;
  let db: Database;
  let envAnthropic: FakeAnthropic;
  let adminAnthropic: FakeAnthropic;
  let openai: FakeOpenAi;
  let env: ProviderEnvironment;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "crewdeck-providers-"));
    db = await createDatabase({ url: `file:${path.join(dir, "test.db")}` });
    await migrateDatabase(db);
    // Each fake accepts only its own key, so a call that reaches it proves which credentials were used.
    envAnthropic = await startFakeAnthropic({
      apiKey: ENV_KEY,
      defaultText: "from the environment's server",
    });
    adminAnthropic = await startFakeAnthropic({ apiKey: ADMIN_KEY, defaultText: "from the admin's server" });
    openai = await startFakeOpenAi({ defaultText: "from the local server" });
    env = { anthropicApiKey: ENV_KEY, anthropicBaseUrl: envAnthropic.url };
  });
  afterAll(async () => {
    await Promise.all([envAnthropic.close(), adminAnthropic.close(), openai.close()]);
    db.$client.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await db.delete(schema.providerSettings);
  });

  const textOf = async (provider: string, registry = createProviderRegistry({ db, env, secret: SECRET })) => {
    const response = await (await registry.get(provider)).stream(request);
    return response.content.map((b) => (b.type === "text" ? b.text : "")).join("");
  };

  it("uses the environment's credentials when no administrator set any", async () => {
    const registry = createProviderRegistry({ db, env, secret: SECRET });
    expect(await registry.configured()).toEqual({ anthropic: true, openai: false });
    expect(await textOf("anthropic", registry)).toBe("from the environment's server");
    expect(await describeProviders(db, env, SECRET)).toEqual([
      {
        provider: "anthropic",
        configured: true,
        source: "environment",
        baseUrl: envAnthropic.url,
        keyHint: "…1111",
        issue: null,
      },
      {
        provider: "openai",
        configured: false,
        source: "none",
        baseUrl: null,
        keyHint: null,
        issue: expect.stringContaining("OPENAI_API_KEY"),
      },
    ]);
  });

  it("says exactly how to configure a provider that has no credentials", async () => {
    const registry = createProviderRegistry({ db, env: {}, secret: SECRET });
    expect(await registry.configured()).toEqual({ anthropic: false, openai: false });

    const anthropic = await engineError(registry.get("anthropic"));
    expect(anthropic.code).toBe("MODEL_PROVIDER_ERROR");
    expect(anthropic.details).toEqual({ provider: "anthropic", source: "none" });
    expect(anthropic.message).toContain("ANTHROPIC_API_KEY");
    expect(anthropic.message).toContain("PUT /api/v1/admin/providers/anthropic");

    const openaiError = await engineError(registry.get("openai"));
    expect(openaiError.code).toBe("MODEL_PROVIDER_ERROR");
    for (const hint of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "PUT /api/v1/admin/providers/openai"]) {
      expect(openaiError.message).toContain(hint);
    }

    const unknown = await engineError(registry.get("mistral"));
    expect(unknown.code).toBe("MODEL_PROVIDER_ERROR");
    expect(unknown.details).toEqual({ provider: "mistral" });
    expect(unknown.message).toContain('"mistral"');
  });

  it("prefers an administrator's settings, applies them on the next call, and falls back when cleared", async () => {
    const registry = createProviderRegistry({ db, env, secret: SECRET });
    const before = await registry.get("anthropic");
    expect(await registry.get("anthropic")).toBe(before);

    await setProviderSettings(
      db,
      SECRET,
      "anthropic",
      { apiKey: ADMIN_KEY, baseUrl: adminAnthropic.url },
      null,
    );
    expect(await textOf("anthropic", registry)).toBe("from the admin's server");
    expect(adminAnthropic.requests.at(-1)?.headers.authorization).toBe(`Bearer ${ADMIN_KEY}`);
    expect(await registry.get("anthropic")).not.toBe(before);
    const [described] = await describeProviders(db, env, SECRET);
    expect(described).toMatchObject({ source: "admin", baseUrl: adminAnthropic.url, keyHint: "…2222" });

    expect(await clearProviderSettings(db, "anthropic")).toBe(true);
    expect(await clearProviderSettings(db, "anthropic")).toBe(false);
    expect(await textOf("anthropic", registry)).toBe("from the environment's server");
  });

  it("stores the key encrypted: the column holds neither the key nor any part of it", async () => {
    await setProviderSettings(db, SECRET, "anthropic", { apiKey: ADMIN_KEY }, null);
    const row = await db.query.providerSettings.findFirst();
    expect(row?.apiKeyEncrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(row?.apiKeyEncrypted).not.toContain(ADMIN_KEY);
    expect(row?.apiKeyEncrypted).not.toContain("2222");
    const raw = await db.$client.execute("select * from provider_settings");
    expect(JSON.stringify(raw.rows)).not.toContain(ADMIN_KEY);
    expect(openSecret(SECRET, row?.apiKeyEncrypted ?? "")).toBe(ADMIN_KEY);

    // A server whose secret changed cannot read it, and says what to do instead of calling with garbage.
    const other = createProviderRegistry({ db, env, secret: "another-secret-entirely-32-characters" });
    expect(await other.configured()).toEqual({ anthropic: false, openai: false });
    const error = await engineError(other.get("anthropic"));
    expect(error.message).toContain("cannot be decrypted");
    expect(error.message).toContain("PUT /api/v1/admin/providers/anthropic");
  });

  it("changes one field at a time: null forgets it, absent keeps it, nothing left removes the settings", async () => {
    await setProviderSettings(
      db,
      SECRET,
      "openai",
      { apiKey: "sk-openai-admin-3333", baseUrl: openai.url },
      null,
    );
    await setProviderSettings(db, SECRET, "openai", { apiKey: null }, null);
    let row = await db.query.providerSettings.findFirst();
    expect(row).toMatchObject({ provider: "openai", apiKeyEncrypted: null, baseUrl: openai.url });

    // A local server needs no key: the base URL alone configures the OpenAI-compatible provider.
    const registry = createProviderRegistry({ db, env, secret: SECRET });
    expect(await registry.configured()).toEqual({ anthropic: true, openai: true });
    expect(await textOf("openai", registry)).toBe("from the local server");
    expect(openai.requests.at(-1)?.headers).not.toHaveProperty("authorization");

    await setProviderSettings(db, SECRET, "openai", { baseUrl: null }, null);
    row = await db.query.providerSettings.findFirst();
    expect(row).toBeUndefined();
    expect(await registry.configured()).toEqual({ anthropic: true, openai: false });
  });

  it("replaces the environment's settings as a whole, so the environment's key never goes to the admin's URL", async () => {
    await setProviderSettings(db, SECRET, "anthropic", { baseUrl: adminAnthropic.url }, null);
    const registry = createProviderRegistry({ db, env, secret: SECRET });
    expect(await registry.configured()).toMatchObject({ anthropic: false });
    const error = await engineError(registry.get("anthropic"));
    expect(error.message).toContain("without an API key");
    expect(error.message).toContain("DELETE /api/v1/admin/providers/anthropic");
  });
});

describe("secret box", () => {
  it("round-trips, uses a fresh IV each time, and refuses another secret or altered text", () => {
    const a = sealSecret(SECRET, "sk-live-123");
    const b = sealSecret(SECRET, "sk-live-123");
    expect(a).not.toBe(b);
    expect(openSecret(SECRET, a)).toBe("sk-live-123");
    expect(() => openSecret("x".repeat(40), a)).toThrow(SecretBoxError);
    const [version, iv, tag, data] = a.split(".");
    const flipped = `${data?.[0] === "A" ? "B" : "A"}${data?.slice(1)}`;
    expect(() => openSecret(SECRET, [version, iv, tag, flipped].join("."))).toThrow(SecretBoxError);
    expect(() => openSecret(SECRET, "plain-text-key")).toThrow(SecretBoxError);
    // A key sealed for one purpose does not open for another.
    expect(() => openSecret(SECRET, sealSecret(SECRET, "k", "github-tokens"))).toThrow(SecretBoxError);
  });
});
