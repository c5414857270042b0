import { describe, expect, it } from "vitest";
import { invitationTokenOf, signUpView } from "./sign-up-state";

const mode = (m: "open" | "invite" | "closed", firstAccount = false) => ({
  mode: m,
  firstAccount,
  emailVerification: false,
});

describe("signUpView", () => {
  it("waits for the mode", () => {
    expect(signUpView(undefined, null)).toBe("loading");
  });

  it("always shows the form for the first account of a fresh install", () => {
    expect(signUpView(mode("closed", true), null)).toBe("form");
    expect(signUpView(mode("invite", true), null)).toBe("form");
  });

  it("asks for an invitation when sign-up is by invitation and the visitor has none", () => {
    expect(signUpView(mode("invite"), null)).toBe("invitation-only");
    expect(signUpView(mode("invite"), "inv_abc")).toBe("form");
  });

  it("says sign-up is closed, invitation or not", () => {
    expect(signUpView(mode("closed"), "inv_abc")).toBe("closed");
  });

  it("shows the form to anyone when sign-up is open", () => {
    expect(signUpView(mode("open"), null)).toBe("form");
  });
});

describe("invitationTokenOf", () => {
  it("reads the link's path first, then ?invite=", () => {
    expect(invitationTokenOf("inv_path", new URLSearchParams("invite=inv_query"))).toBe("inv_path");
    expect(invitationTokenOf(undefined, new URLSearchParams("invite=inv_query"))).toBe("inv_query");
    expect(invitationTokenOf(undefined, new URLSearchParams())).toBeNull();
  });
});
