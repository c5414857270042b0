export * from "./covering-limits";
export * from "./daily-cap";
export * from "./describe";
export * from "./enforce";
export * from "./periods";
export * from "./reservations";
export * from "./spend";
