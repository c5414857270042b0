export * from "./auth";
export * from "./session-tokens";
export * from "./tokens";
