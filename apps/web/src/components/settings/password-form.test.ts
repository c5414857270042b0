import { describe, expect, it } from "vitest";
import { checkPasswordForm, MISMATCH_MESSAGE, passwordChangedMessage } from "./password-form";

describe("checkPasswordForm", () => {
  it("hands on the API's input, without the confirmation", () => {
    expect(
      checkPasswordForm({
        currentPassword: "old one",
        newPassword: "new passphrase",
        confirmPassword: "new passphrase",
      }),
    ).toEqual({ ok: true, value: { currentPassword: "old one", newPassword: "new passphrase" } });
  });

  it("asks for the confirmation before calling two passwords different", () => {
    const empty = checkPasswordForm({
      currentPassword: "old one",
      newPassword: "new passphrase",
      confirmPassword: "",
    });
    expect(empty).toEqual({
      ok: false,
      errors: [{ field: "confirmPassword", message: "Type the new password again." }],
    });
    const different = checkPasswordForm({
      currentPassword: "old one",
      newPassword: "new passphrase",
      confirmPassword: "new passphrasE",
    });
    expect(different).toEqual({
      ok: false,
      errors: [{ field: "confirmPassword", message: MISMATCH_MESSAGE }],
    });
  });
});

describe("passwordChangedMessage", () => {
  it("counts the sessions that ended, or says none had to", () => {
    expect(passwordChangedMessage({ success: true, revoked: 1 })).toBe(
      "Your password is changed. 1 other session was signed out; sign in there again with the new password.",
    );
    expect(passwordChangedMessage({ success: true, revoked: 0 })).toBe(
      "Your password is changed. You were signed in nowhere else, so no other session ended.",
    );
  });
});
