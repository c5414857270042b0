import { describe, expect, it } from "vitest";
import { type Profile, profileChanges, profileFormFrom } from "./profile-form";

const profile: Profile = {
  id: "u1",
  email: "ada@example.com",
  username: "ada",
  name: "Ada Lovelace",
  avatarUrl: null,
  title: "Engineer",
  role: "user",
  twoFactorEnabled: false,
  preferences: {},
  createdAt: "2026-01-01T00:00:00.000Z",
  github: null,
  activity: { lastLoginAt: null, loginCount: 1 },
};

describe("profileChanges", () => {
  it("sends nothing when nothing changed", () => {
    expect(profileChanges(profile, profileFormFrom(profile))).toEqual({});
  });

  it("sends only the fields that changed, trimmed", () => {
    const form = { ...profileFormFrom(profile), name: "  Ada King ", avatarUrl: "https://example.com/a.png" };
    expect(profileChanges(profile, form)).toEqual({
      name: "Ada King",
      avatarUrl: "https://example.com/a.png",
    });
  });

  it("clears an optional field with null", () => {
    expect(profileChanges(profile, { ...profileFormFrom(profile), title: "   " })).toEqual({ title: null });
  });

  it("does not send an empty username", () => {
    expect(profileChanges(profile, { ...profileFormFrom(profile), username: "" })).toEqual({});
    expect(profileChanges(profile, { ...profileFormFrom(profile), username: "countess" })).toEqual({
      username: "countess",
    });
  });
});
