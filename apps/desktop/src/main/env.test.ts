import { describe, expect, it } from "vitest";
import { DEFAULT_SERVER_URL, parseEnv } from "./env";

describe("parseEnv", () => {
  it("defaults to the local server with no configuration", () => {
    expect(parseEnv({})).toEqual({
      serverUrl: DEFAULT_SERVER_URL,
      serverOrigin: "http://localhost:3001",
      rendererDevUrl: null,
    });
    expect(parseEnv({ CREWDECK_SERVER_URL: "  " }).serverUrl).toBe(DEFAULT_SERVER_URL);
  });

  it("reads CREWDECK_SERVER_URL, keeping a path prefix but not a trailing slash", () => {
    expect(parseEnv({ CREWDECK_SERVER_URL: "https://crewdeck.example.com/" })).toMatchObject({
      serverUrl: "https://crewdeck.example.com",
      serverOrigin: "https://crewdeck.example.com",
    });
    expect(parseEnv({ CREWDECK_SERVER_URL: "https://example.com:8443/crewdeck/" })).toMatchObject({
      serverUrl: "https://example.com:8443/crewdeck",
      serverOrigin: "https://example.com:8443",
    });
  });

  it("rejects server URLs the app cannot or should not use", () => {
    expect(() => parseEnv({ CREWDECK_SERVER_URL: "localhost:3001" })).toThrow(/http or https/);
    expect(() => parseEnv({ CREWDECK_SERVER_URL: "crewdeck" })).toThrow(/absolute http\(s\) URL/);
    expect(() => parseEnv({ CREWDECK_SERVER_URL: "file:///srv/crewdeck" })).toThrow(/http or https/);
    expect(() => parseEnv({ CREWDECK_SERVER_URL: "https://admin:pw@example.com" })).toThrow(/credentials/);
    expect(() => parseEnv({ CREWDECK_SERVER_URL: "https://example.com/?x=1" })).toThrow(/query/);
  });

  it("picks up the renderer dev server that electron-vite dev announces", () => {
    expect(parseEnv({ ELECTRON_RENDERER_URL: "http://localhost:5173" }).rendererDevUrl).toBe(
      "http://localhost:5173",
    );
  });
});
