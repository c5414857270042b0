import { compileErrors, validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness";

/**
 * Every endpoint of §2.1, §2.3, §2.4, §2.5, §2.6, §2.7 and §2.10 served so far, as the contract spells
 * them (not yet: the GitHub reconnect of §2.3, run start/status/orchestration/cancel, emergency).
 */
const ENDPOINTS: Array<[method: string, path: string]> = [
  // §2.1
  ["POST", "/auth/register"],
  ["POST", "/auth/login"],
  ["POST", "/auth/2fa/verify"],
  ["POST", "/auth/2fa/enable"],
  ["POST", "/auth/2fa/disable"],
  ["POST", "/auth/refresh"],
  ["POST", "/auth/logout"],
  ["GET", "/auth/me"],
  ["PATCH", "/auth/me"],
  ["GET", "/auth/sessions"],
  ["DELETE", "/auth/sessions/{id}"],
  ["GET", "/api-keys"],
  ["POST", "/api-keys"],
  ["DELETE", "/api-keys/{id}"],
  ["GET", "/users/me/export"],
  ["DELETE", "/users/me"],
  // §2.2 (the OAuth callback is a raw route, documented by hand)
  ["GET", "/github/connect-url"],
  ["GET", "/github/callback"],
  ["POST", "/github/connect"],
  ["GET", "/github/status"],
  ["DELETE", "/github/connection"],
  ["GET", "/repositories"],
  ["POST", "/repositories/sync"],
  ["GET", "/repositories/{id}/branches"],
  // §2.3
  ["GET", "/projects"],
  ["POST", "/projects"],
  ["GET", "/projects/{id}"],
  ["PATCH", "/projects/{id}"],
  ["DELETE", "/projects/{id}"],
  ["GET", "/projects/{id}/members"],
  ["POST", "/projects/{id}/members"],
  ["PATCH", "/projects/{id}/members/{userId}"],
  ["DELETE", "/projects/{id}/members/{userId}"],
  ["POST", "/projects/{id}/repositories"],
  ["DELETE", "/projects/{id}/repositories/{repoId}"],
  ["POST", "/projects/{id}/repositories/{repoId}/reconnect"],
  // §2.4
  ["GET", "/models"],
  ["POST", "/models"],
  ["PATCH", "/models/{id}"],
  ["GET", "/projects/{id}/agents"],
  ["POST", "/projects/{id}/agents"],
  ["GET", "/projects/{pid}/agents/{id}"],
  ["PATCH", "/projects/{pid}/agents/{id}"],
  ["DELETE", "/projects/{pid}/agents/{id}"],
  ["POST", "/projects/{pid}/agents/{id}/reset"],
  ["POST", "/projects/{pid}/agents/{id}/pause"],
  ["POST", "/projects/{pid}/agents/{id}/resume"],
  // §2.5, with seed 001's project-scoped aliases
  ["GET", "/conversations"],
  ["POST", "/conversations"],
  ["GET", "/projects/{id}/conversations"],
  ["POST", "/projects/{id}/conversations"],
  ["GET", "/conversations/{id}"],
  ["GET", "/conversations/{id}/messages"],
  ["POST", "/conversations/{id}/messages"],
  ["PATCH", "/conversations/{id}"],
  ["DELETE", "/conversations/{id}"],
  ["POST", "/conversations/{id}/pause"],
  ["POST", "/conversations/{id}/resume"],
  ["GET", "/projects/{pid}/conversations/{id}"],
  ["GET", "/projects/{pid}/conversations/{id}/messages"],
  ["POST", "/projects/{pid}/conversations/{id}/messages"],
  ["POST", "/projects/{pid}/conversations/{id}/pause"],
  ["POST", "/projects/{pid}/conversations/{id}/resume"],
  ["GET", "/tasks/{id}/conversation"],
  ["POST", "/conversations/{id}/typing"],
  // §2.6 (upload and download are raw routes, documented by hand)
  ["POST", "/files"],
  ["GET", "/files/{id}"],
  ["DELETE", "/files/{id}"],
  // §2.7, with seed 001's aliases
  ["GET", "/tasks"],
  ["POST", "/tasks"],
  ["GET", "/projects/{id}/tasks"],
  ["POST", "/projects/{id}/tasks"],
  ["GET", "/tasks/{id}"],
  ["PATCH", "/tasks/{id}"],
  ["DELETE", "/tasks/{id}"],
  ["POST", "/tasks/{id}/assign"],
  ["POST", "/tasks/{id}/complete"],
  ["PATCH", "/tasks/{id}/repositories/{repositoryId}"],
  ["GET", "/projects/{pid}/tasks/{id}"],
  ["POST", "/projects/{pid}/tasks/{id}/assign"],
  ["POST", "/projects/{pid}/tasks/{id}/complete"],
  ["GET", "/tasks/{id}/runs"],
  ["GET", "/tasks/{id}/diff"],
  // §2.8
  ["GET", "/projects/{id}/issues"],
  ["POST", "/projects/{id}/issues/sync"],
  ["POST", "/projects/{pid}/issues/{id}/start"],
  ["GET", "/projects/{pid}/issues/{id}/tasks"],
  ["GET", "/projects/{id}/pull-requests"],
  ["POST", "/projects/{pid}/pull-requests/{id}/approve"],
  ["POST", "/projects/{pid}/pull-requests/{id}/reject"],
  // §2.9
  ["GET", "/budget/summary"],
  ["GET", "/budget/limits"],
  ["POST", "/budget/limits"],
  ["PATCH", "/budget/limits/{id}"],
  ["DELETE", "/budget/limits/{id}"],
  // §2.10
  ["GET", "/notifications"],
  ["POST", "/notifications/{id}/read"],
  ["POST", "/notifications/read-all"],
  ["GET", "/admin/users"],
  ["PATCH", "/admin/users/{id}"],
  ["DELETE", "/admin/users/{id}"],
  ["GET", "/admin/metrics"],
  ["GET", "/admin/providers"],
  ["PUT", "/admin/providers/{provider}"],
  ["DELETE", "/admin/providers/{provider}"],
  ["GET", "/admin/github"],
  ["PUT", "/admin/github"],
  ["DELETE", "/admin/github"],
  ["GET", "/admin/webhook-deliveries"],
  ["GET", "/health"],
  // §2.8 (the webhook receiver is a raw route, documented by hand)
  ["POST", "/webhooks/github"],
  // §4 (the event stream is a raw route, documented by hand)
  ["GET", "/events"],
];

const PUBLIC: Array<[method: string, path: string]> = [
  ["POST", "/auth/register"],
  ["GET", "/auth/signup-mode"],
  ["POST", "/auth/login"],
  ["POST", "/auth/refresh"],
  ["POST", "/auth/2fa/verify"],
  ["POST", "/auth/logout"],
  ["GET", "/health"],
  ["GET", "/github/callback"],
  // Signed by GitHub with the webhook secret, not by a user.
  ["POST", "/webhooks/github"],
];

/** `/projects/{projectId}/agents/{agentId}` and `/projects/{pid}/agents/{id}` compare equal. */
const normalise = (path: string) => path.replace(/\{[^}]+\}/g, "{}");

type Operation = { security?: Array<Record<string, string[]>>; tags?: string[]; operationId?: string };
// biome-ignore lint/suspicious/noExplicitAny: the document is checked by the validator and field by field
type Document = any;

describe("OpenAPI document and docs", () => {
  let server: TestServer;
  let document: Document;
  const operations = new Map<string, Operation>();

  beforeAll(async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    document = await res.json();
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (["get", "post", "put", "patch", "delete"].includes(method)) {
          operations.set(`${method.toUpperCase()} ${normalise(path)}`, operation);
        }
      }
    }
  });
  afterAll(async () => {
    await server.stop();
  });

  it("is a valid OpenAPI 3 document", async () => {
    expect(document.openapi).toMatch(/^3\./);
    // validate() dereferences in place: give it a copy.
    const result = await validate(structuredClone(document));
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.specification).toBe("OpenAPI");
  });

  it("names the REST base path in its server URL", () => {
    expect(document.servers?.[0]?.url).toMatch(/\/api\/v1$/);
  });

  it.each(ENDPOINTS)("documents %s %s", (method, path) => {
    expect(operations.has(`${method} ${normalise(path)}`)).toBe(true);
  });

  it.each(PUBLIC)("%s %s is public: security []", (method, path) => {
    const operation = operations.get(`${method} ${normalise(path)}`);
    expect(operation).toBeDefined();
    expect(operation?.security).toEqual([]);
  });

  it("every other operation accepts a bearer token or an API key", () => {
    const publicKeys = new Set(PUBLIC.map(([m, p]) => `${m} ${normalise(p)}`));
    const protectedOps = [...operations].filter(([key]) => !publicKeys.has(key));
    expect(protectedOps.length).toBeGreaterThanOrEqual(ENDPOINTS.length - PUBLIC.length);
    for (const [key, operation] of protectedOps) {
      const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
      expect(schemes, key).toEqual(expect.arrayContaining(["bearer", "apiKey"]));
    }
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.components.securitySchemes.apiKey).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-API-Key",
    });
  });

  it("tags every operation with a declared tag", () => {
    const declared = new Set((document.tags as Array<{ name: string }>).map((t) => t.name));
    for (const tag of [
      "auth",
      "api-keys",
      "projects",
      "project-members",
      "project-repositories",
      "models",
      "agents",
    ]) {
      expect(declared.has(tag), tag).toBe(true);
    }
    for (const [key, operation] of operations) {
      expect(operation.tags?.length, key).toBeGreaterThan(0);
      for (const tag of operation.tags ?? []) expect(declared.has(tag), `${key}: ${tag}`).toBe(true);
    }
  });

  it("documents the raw file routes and the Idempotency-Key header of authenticated POSTs", () => {
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(paths["/files"]?.post?.["x-crewdeck-raw"]).toBe(true);
    expect(paths["/files/{fileId}"]?.get?.["x-crewdeck-raw"]).toBe(true);
    expect(paths["/files/{fileId}"]?.delete).toBeDefined();
    expect(paths["/webhooks/github"]?.post?.["x-crewdeck-raw"]).toBe(true);
    const headerNames = (op: Record<string, unknown> | undefined) =>
      ((op?.parameters ?? []) as Array<{ name: string; in: string }>)
        .filter((p) => p.in === "header")
        .map((p) => p.name);
    expect(headerNames(paths["/projects"]?.post)).toContain("Idempotency-Key");
    expect(headerNames(paths["/auth/login"]?.post)).not.toContain("Idempotency-Key");
  });

  it("describes errors with the contract's error shape", () => {
    const error = document.components.schemas.Error;
    expect(error.required).toEqual(["error"]);
    expect(error.properties.error.required).toEqual(expect.arrayContaining(["code", "message", "requestId"]));
    expect(error.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining([
        "UNAUTHORIZED",
        "FORBIDDEN",
        "RESOURCE_NOT_FOUND",
        "VALIDATION_ERROR",
        "CONFLICT",
      ]),
    );
  });

  it("serves interactive docs from local assets only", async () => {
    const res = await fetch(`${server.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']https?:\/\//i);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)/i);
    const assets = [...html.matchAll(/(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    for (const asset of assets) {
      const url = new URL(asset, `${server.url}/api/docs`);
      expect(url.origin).toBe(new URL(server.url).origin);
      const loaded = await fetch(url);
      expect(loaded.status, asset).toBe(200);
      expect((await loaded.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });

  it("the docs' init script points at the local document, which loads", async () => {
    const res = await fetch(`${server.url}/api/docs/init.js`);
    expect(res.status).toBe(200);
    const script = await res.text();
    expect(script).toContain("/api/v1/openapi.json");
    expect(script).not.toMatch(/https?:\/\//);
  });

  it("refuses asset paths outside the docs package", async () => {
    const res = await fetch(`${server.url}/api/docs/assets/..%2F..%2Fpackage.json`);
    expect(res.status).toBe(404);
  });
});
