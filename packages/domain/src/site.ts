// Site-wide settings an administrator changes at runtime.

/** Who may create an account: anyone, only people holding an invitation (the first account excepted), or nobody. */
export const SIGNUP_MODES = ["open", "invite", "closed"] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];
