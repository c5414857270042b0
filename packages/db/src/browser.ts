// What a browser may import from this package (the "browser" export condition): the tables' enums and
// the shared constants and helpers, without the client, the migrator or anything else that needs Node. The
// API's zod schemas import `@crewdeck/db`, and the web app's forms import those schemas.
export * from "./dates";
export * from "./money";
export * from "./pagination";
export * as schema from "./schema/index";
