// Which passwords Crewdeck refuses: shorter than 8 characters, or on a list of common and breached
// passwords (NIST SP 800-63B §3.1.1.2). The list is zxcvbn-ts's, shipped in the package: no network.
import { dictionary } from "@zxcvbn-ts/language-common";

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;
export const COMMON_PASSWORD_MESSAGE =
  "This password is on lists of common or breached passwords; choose another";

let common: Set<string> | undefined;

/** True for a password found (in any letter case) among the ~50,000 most common ones. */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"]);
  return common.has(password.toLowerCase());
}
