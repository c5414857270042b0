import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchHealth, parseHealth, serverEndpoint } from "./health";

describe("parseHealth", () => {
  it("reads the contract's health report", () => {
    expect(
      parseHealth({
        status: "ok",
        timestamp: "2026-02-12T00:00:00.000Z",
        services: { database: "ok", queue: { status: "ok" }, eventBus: "degraded", modelProviders: {} },
        version: "0.1.0",
        environment: "production",
      }),
    ).toEqual({
      status: "ok",
      version: "0.1.0",
      environment: "production",
      services: [
        { name: "database", status: "ok" },
        { name: "queue", status: "ok" },
        { name: "eventBus", status: "degraded" },
      ],
    });
  });

  it("rejects bodies that are not a health report", () => {
    expect(parseHealth(null)).toBeNull();
    expect(parseHealth("ok")).toBeNull();
    expect(parseHealth({ error: { code: "INTERNAL_ERROR" } })).toBeNull();
  });
});

describe("serverEndpoint", () => {
  it("joins a base URL and a path without doubling slashes", () => {
    expect(serverEndpoint("", "/health")).toBe("/health");
    expect(serverEndpoint("http://localhost:3001/", "/api/docs")).toBe("http://localhost:3001/api/docs");
  });
});

describe("fetchHealth", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("shows a degraded server's report even on 503", async () => {
    const fetchMock = vi.fn(async () =>
      Response.json({ status: "degraded", version: "0.1.0" }, { status: 503 }),
    );
    vi.stubGlobal("fetch", fetchMock);
    await expect(fetchHealth("http://localhost:3001")).resolves.toMatchObject({ status: "degraded" });
    expect(fetchMock).toHaveBeenCalledWith("http://localhost:3001/health", expect.anything());
  });

  it("explains a network failure", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("fetch failed");
      }),
    );
    await expect(fetchHealth("")).rejects.toThrow("Could not reach the server");
  });

  it("fails on an answer that is not a health report", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("<html>Bad gateway</html>", { status: 502 })),
    );
    await expect(fetchHealth("")).rejects.toThrow("502");
  });
});
