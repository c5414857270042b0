import { NOTIFICATION_KINDS, NOTIFICATION_SEVERITIES } from "@crewdeck/domain";
import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, id, json, timestamp, timestamps } from "../columns";
import { users } from "./auth";

// The values live in @crewdeck/domain, shared with the web app; re-exported so `schema.*` keeps them.
export {
  NOTIFICATION_KINDS,
  NOTIFICATION_SEVERITIES,
  type NotificationKind,
  type NotificationSeverity,
} from "@crewdeck/domain";

export type NotificationData = Record<string, unknown>;

export const notifications = sqliteTable(
  "notifications",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** What happened, e.g. `budget_alert`, `task_completed`; clients choose an icon and link by it. */
    type: text("type").notNull(),
    severity: text("severity", { enum: NOTIFICATION_SEVERITIES }).notNull().default("info"),
    title: text("title").notNull(),
    message: text("message").notNull(),
    data: json<NotificationData>("data").notNull().default({}),
    isRead: bool("is_read").notNull().default(false),
    readAt: timestamp("read_at"),
    createdAt: timestamps().createdAt,
  },
  (t) => [
    index("notifications_user_read_created_idx").on(t.userId, t.isRead, t.createdAt),
    index("notifications_user_created_idx").on(t.userId, t.createdAt),
  ],
);

/**
 * A person's choice for one kind of notice. Only choices made are stored: a kind with no row is on, so a
 * kind added later reaches everyone until they turn it off.
 */
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    enabled: bool("enabled").notNull(),
    updatedAt: timestamps().updatedAt,
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);
