// Site-wide settings an administrator changes at runtime (one row, id `default`). A null column means
// "the environment's default", so an operator's env change still applies until an admin overrides it.
import { SIGNUP_MODES } from "@crewdeck/domain";
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { microUsd, timestamps } from "../columns";
import { users } from "./auth";

export { SIGNUP_MODES, type SignupMode } from "@crewdeck/domain";

export const siteSettings = sqliteTable("site_settings", {
  id: text("id").primaryKey().default("default"),
  signupMode: text("signup_mode", { enum: SIGNUP_MODES }),
  /** Each person's model spend per UTC day; 0 means no cap. */
  dailySpendCapMicros: microUsd("daily_spend_cap_micros"),
  updatedById: text("updated_by_id").references(() => users.id, { onDelete: "set null" }),
  ...timestamps(),
});
