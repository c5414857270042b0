// Emergency stops: who stopped every agent (site-wide or in one project), why, and when it was lifted.
import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id, timestamp, timestamps } from "../columns";
import { users } from "./auth";
import { projects } from "./projects";

export const emergencyStops = sqliteTable(
  "emergency_stops",
  {
    id: id(),
    /** Null: every project (an admin's stop). */
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    triggeredById: text("triggered_by_id").references(() => users.id, { onDelete: "set null" }),
    reason: text("reason").notNull(),
    resumedAt: timestamp("resumed_at"),
    resumedById: text("resumed_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamps().createdAt,
  },
  (t) => [
    index("emergency_stops_project_idx").on(t.projectId, t.createdAt),
    // One stop in force per scope; a second pause-all while stopped is the same stop.
    uniqueIndex("emergency_stops_active_uq")
      .on(sql`coalesce(${t.projectId}, '*')`)
      .where(sql`${t.resumedAt} is null`),
  ],
);
