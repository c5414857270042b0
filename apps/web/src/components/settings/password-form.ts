// The password form's values and the check it runs before anything is sent: the server's own input schema
// (at least 8 characters) and the one thing only the form knows, that the new password was typed twice alike.
import { zChangePasswordInput } from "@crewdeck/api/schemas";
import { type Checked, checkInput, sameNames } from "../../lib/schema-form";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

export type ChangePasswordInput = RouterInputs["auth"]["changePassword"];
export type ChangePasswordResult = RouterOutputs["auth"]["changePassword"];
export type PasswordForm = { currentPassword: string; newPassword: string; confirmPassword: string };

export const emptyPasswordForm: PasswordForm = { currentPassword: "", newPassword: "", confirmPassword: "" };

/** The API's fields are the form's; `confirmPassword` exists only here. */
export const passwordFieldOf = sameNames<PasswordForm>("currentPassword", "newPassword", "confirmPassword");

export const MISMATCH_MESSAGE = "The two new passwords are not the same.";

export function checkPasswordForm(values: PasswordForm): Checked<ChangePasswordInput> {
  const checked = checkInput(zChangePasswordInput, {
    currentPassword: values.currentPassword,
    newPassword: values.newPassword,
  });
  const errors = checked.ok ? [] : [...checked.errors];
  // An empty confirmation is not a mismatch yet: it asks for the second typing instead.
  if (values.confirmPassword !== values.newPassword) {
    errors.push({
      field: "confirmPassword",
      message: values.confirmPassword ? MISMATCH_MESSAGE : "Type the new password again.",
    });
  }
  return errors.length === 0 && checked.ok ? checked : { ok: false, errors };
}

/** What the person is told once the password is changed: that their other sessions are over. */
export function passwordChangedMessage({ revoked }: ChangePasswordResult): string {
  if (revoked === 0)
    return "Your password is changed. You were signed in nowhere else, so no other session ended.";
  const sessions = revoked === 1 ? "1 other session was" : `${revoked} other sessions were`;
  return `Your password is changed. ${sessions} signed out; sign in there again with the new password.`;
}
