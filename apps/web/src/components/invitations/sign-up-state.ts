// What the sign-up page shows, from the site's sign-up mode and the invitation link the visitor followed.
import type { RouterOutputs } from "../../lib/trpc";

export type SignUpMode = RouterOutputs["auth"]["signupMode"];

export type SignUpView = "loading" | "form" | "invitation-only" | "closed";

export function signUpView(mode: SignUpMode | undefined, invitationToken: string | null): SignUpView {
  if (!mode) return "loading";
  // A fresh install's first account always registers, and administers the site.
  if (mode.firstAccount) return "form";
  if (mode.mode === "closed") return "closed";
  if (mode.mode === "invite" && !invitationToken) return "invitation-only";
  return "form";
}

/** The invitation token of `/invite/<token>`, or of `?invite=<token>`. */
export function invitationTokenOf(pathToken: string | undefined, search: URLSearchParams): string | null {
  const token = (pathToken ?? search.get("invite") ?? "").trim();
  return token || null;
}
