export * from "./models/catalog";
export * from "./roles/catalog";
