export * from "./auth";
export * from "./tokens";
