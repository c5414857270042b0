import { defineConfig } from "drizzle-kit";

// Only used by `drizzle-kit generate`; the server applies the generated SQL with the migrator at start-up.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
