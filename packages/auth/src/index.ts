export * from "./auth";
export * from "./password-policy";
export * from "./tokens";
