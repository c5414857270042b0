export * from "./client";
export { id, newId } from "./columns";
export * from "./dates";
export * from "./migrate";
export * from "./money";
export * from "./pagination";
export * as schema from "./schema/index";
export * from "./secret-box";
export * from "./site-settings";
