// The audit log: security events (sign-ins and their failures, second-factor and key changes, bans…)
// that an administrator can read. Rows are never updated, and they outlive the accounts they name, so
// user ids are kept as plain text rather than foreign keys that would cascade or be nulled.
import { AUDIT_ACTIONS } from "@crewdeck/domain";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, json, timestamps } from "../columns";

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: id(),
    createdAt: timestamps().createdAt,
    /** Who acted: the signed-in user, an administrator; null for an anonymous caller (a failed login). */
    actorUserId: text("actor_user_id"),
    /** Whose account the event is about. */
    subjectUserId: text("subject_user_id"),
    action: text("action", { enum: AUDIT_ACTIONS }).notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** Context for the event (an identifier, a key's name); never a secret. */
    details: json<Record<string, unknown>>("details").notNull(),
  },
  (t) => [
    index("audit_events_created_idx").on(t.createdAt),
    index("audit_events_action_idx").on(t.action, t.createdAt),
    index("audit_events_subject_idx").on(t.subjectUserId, t.createdAt),
    index("audit_events_actor_idx").on(t.actorUserId, t.createdAt),
  ],
);
