// Which kinds of notice each person gets (§2.10, issue 16): every kind is on until they turn it off. The
// engine's notifiers read the same rows (`notifyUser`, `notifyProjectMembers`), so a choice holds for every
// way a notice is sent. Budget alerts are not a choice.
import { type Database, schema } from "@crewdeck/db";
import { NOTIFICATION_KINDS, type NotificationKind } from "@crewdeck/domain";
import { eq, sql } from "drizzle-orm";

const DESCRIPTIONS: Record<NotificationKind, string> = {
  run_completed: "A run you started finished",
  run_failed: "A run you started failed",
  run_cancelled: "Someone else cancelled a run you started",
  run_stopped: "A run you started was stopped (an emergency stop or a budget limit paused it)",
  pull_request_opened: "An agent opened a pull request in a project you maintain",
  pull_request_approved: "A pull request in a project you maintain was approved and merged",
  pull_request_rejected: "A pull request in a project you maintain was sent back with changes requested",
  project_added: "You were invited to a project",
};

const p = schema.notificationPreferences;

export async function getNotificationPreferences(db: Database, userId: string) {
  const rows = await db.select({ kind: p.kind, enabled: p.enabled }).from(p).where(eq(p.userId, userId));
  const chosen = new Map(rows.map((row) => [row.kind, row.enabled]));
  return {
    preferences: NOTIFICATION_KINDS.map((kind) => ({
      kind,
      enabled: chosen.get(kind) ?? true,
      description: DESCRIPTIONS[kind],
    })),
  };
}

/** Records the choices given (others stay as they were), all together, and returns them all. */
export async function updateNotificationPreferences(
  db: Database,
  userId: string,
  changes: Array<{ kind: NotificationKind; enabled: boolean }>,
) {
  if (changes.length > 0) {
    // The last choice for a kind wins, as it would one request after another.
    const latest = new Map(changes.map((c) => [c.kind, c.enabled]));
    await db
      .insert(p)
      .values([...latest.entries()].map(([kind, enabled]) => ({ userId, kind, enabled })))
      .onConflictDoUpdate({
        target: [p.userId, p.kind],
        set: { enabled: sql`excluded.enabled`, updatedAt: new Date() },
      });
  }
  return getNotificationPreferences(db, userId);
}
