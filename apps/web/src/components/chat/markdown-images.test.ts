import { describe, expect, it } from "vitest";
import { ownFileId } from "./markdown-images";

describe("ownFileId", () => {
  const page = "https://crewdeck.example";

  it("accepts the server's own file routes, relative or on its origin", () => {
    expect(ownFileId("/api/v1/files/f_123", "", page)).toBe("f_123");
    expect(ownFileId("https://crewdeck.example/api/v1/files/abc-9", "", page)).toBe("abc-9");
    expect(ownFileId("/api/v1/files/abc", "https://api.crewdeck.example", page)).toBe("abc");
    expect(
      ownFileId("https://api.crewdeck.example/api/v1/files/abc", "https://api.crewdeck.example", page),
    ).toBe("abc");
  });

  it("refuses every other address", () => {
    for (const src of [
      undefined,
      "",
      "https://attacker.example/api/v1/files/abc",
      "//attacker.example/api/v1/files/abc",
      "https://crewdeck.example.attacker.example/api/v1/files/abc",
      "https://crewdeck.example/api/v1/files/abc?leak=secret",
      "https://crewdeck.example/api/v1/files/abc#x",
      "https://user:pw@crewdeck.example/api/v1/files/abc",
      "/api/v1/files/abc/../../auth/me",
      "/api/v1/files/",
      "/api/v1/projects",
      "https://attacker.example/cat.png",
      "data:image/png;base64,AAAA",
      "javascript:alert(1)",
    ]) {
      expect(ownFileId(src, "", page), String(src)).toBeNull();
    }
  });
});
