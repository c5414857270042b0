import { describe, expect, it } from "vitest";
import { canManage, isBanned, userStatus } from "./admin-users";

const now = Date.parse("2026-02-12T12:00:00.000Z");

describe("userStatus", () => {
  it("reads as active when not banned", () => {
    expect(userStatus({ banned: false, banExpires: null, banReason: null }, now)).toEqual({
      label: "Active",
      tone: "ok",
      detail: null,
    });
  });

  it("shows a ban and its reason", () => {
    expect(userStatus({ banned: true, banExpires: null, banReason: "Spam" }, now)).toEqual({
      label: "Banned",
      tone: "danger",
      detail: "Spam",
    });
    expect(
      userStatus({ banned: true, banExpires: "2026-03-01T00:00:00.000Z", banReason: null }, now).label,
    ).toMatch(/^Banned until /);
  });

  it("treats a ban that has ended as active", () => {
    expect(isBanned({ banned: true, banExpires: "2026-02-01T00:00:00.000Z" }, now)).toBe(false);
    expect(
      userStatus({ banned: true, banExpires: "2026-02-01T00:00:00.000Z", banReason: "x" }, now).label,
    ).toBe("Active");
  });
});

describe("canManage", () => {
  it("keeps administrators from acting on their own account", () => {
    expect(canManage({ id: "me" }, "me")).toBe(false);
    expect(canManage({ id: "other" }, "me")).toBe(true);
  });
});
