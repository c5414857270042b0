import { describe, expect, it } from "vitest";
import { createWindowOptions } from "./window-options";

describe("createWindowOptions", () => {
  const options = createWindowOptions("/app/out/preload/index.cjs");

  it("sandboxes the renderer and keeps Node out of it", () => {
    expect(options.webPreferences).toMatchObject({
      preload: "/app/out/preload/index.cjs",
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it("stays hidden until the first paint is ready", () => {
    expect(options.show).toBe(false);
  });
});
