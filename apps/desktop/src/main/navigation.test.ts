import { describe, expect, it } from "vitest";
import {
  decideNavigation,
  decideWindowOpen,
  isExternalUrl,
  isTrustedUrl,
  type NavigationPolicy,
} from "./navigation";

const built: NavigationPolicy = {
  appUrl: "file:///opt/Crewdeck/resources/app.asar/out/renderer/index.html",
  serverOrigin: "http://localhost:3001",
};
const dev: NavigationPolicy = {
  appUrl: "http://localhost:5173/",
  serverOrigin: "https://crewdeck.example.com",
};

describe("decideWindowOpen", () => {
  it("opens an https link to GitHub in the browser and never in a new window", () => {
    expect(decideWindowOpen("https://github.com/crewdeck/crewdeck/pull/1")).toEqual({
      action: "deny",
      openExternally: true,
    });
  });

  it("opens the server's API docs in the browser", () => {
    expect(decideWindowOpen("http://localhost:3001/api/docs")).toEqual({
      action: "deny",
      openExternally: true,
    });
  });

  it("hands nothing but web and mail links to the OS", () => {
    for (const url of [
      "file:///etc/passwd",
      "javascript:alert(1)",
      "smb://attacker.example/share",
      "vscode://file/etc/passwd",
      "not a url",
    ]) {
      expect(decideWindowOpen(url), url).toEqual({ action: "deny", openExternally: false });
    }
  });
});

describe("decideNavigation", () => {
  it("keeps the window on the app when a foreign origin is requested", () => {
    expect(decideNavigation("https://evil.example/phish", built)).toEqual({
      action: "deny",
      openExternally: true,
    });
    expect(decideNavigation("https://github.com/login", dev)).toEqual({
      action: "deny",
      openExternally: true,
    });
  });

  it("allows the app itself and the configured server", () => {
    expect(decideNavigation(`${built.appUrl}#/tasks`, built)).toEqual({ action: "allow" });
    expect(decideNavigation("http://localhost:3001/api/docs", built)).toEqual({ action: "allow" });
    expect(decideNavigation("http://localhost:5173/projects/1", dev)).toEqual({ action: "allow" });
    expect(decideNavigation("https://crewdeck.example.com/", dev)).toEqual({ action: "allow" });
  });

  it("treats another port or scheme as another origin", () => {
    expect(decideNavigation("http://localhost:3002/", built).action).toBe("deny");
    expect(decideNavigation("https://localhost:3001/", built).action).toBe("deny");
    expect(decideNavigation("http://crewdeck.example.com/", dev).action).toBe("deny");
  });

  it("never lets a packaged window wander over the local disk", () => {
    expect(decideNavigation("file:///etc/passwd", built)).toEqual({ action: "deny", openExternally: false });
    expect(decideNavigation("file:///opt/Crewdeck/resources/app.asar/out/main/index.js", built).action).toBe(
      "deny",
    );
  });
});

describe("isTrustedUrl", () => {
  it("does not trust opaque origins even when the server origin is malformed", () => {
    expect(isTrustedUrl("data:text/html,<h1>hi</h1>", { ...built, serverOrigin: "null" })).toBe(false);
  });
});

describe("isExternalUrl", () => {
  it("accepts web and mail links, refuses links with credentials", () => {
    expect(isExternalUrl("https://docs.github.com/")).toBe(true);
    expect(isExternalUrl("mailto:team@example.com")).toBe(true);
    expect(isExternalUrl("https://user:secret@example.com/")).toBe(false);
  });
});
