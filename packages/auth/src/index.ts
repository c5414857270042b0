export * from "./auth";
export * from "./password-policy";
export * from "./session-tokens";
export * from "./tokens";
