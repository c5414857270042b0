// The caller's inbox: list with filters, mark one or all as read. Nobody sees another user's notifications.

import { type Database, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import { toNotificationDto } from "@crewdeck/engine";
import { and, count, desc, eq, type SQL } from "drizzle-orm";
import { notFound } from "../../errors";

const n = schema.notifications;

export type NotificationFilters = {
  isRead?: boolean | undefined;
  severity?: schema.NotificationSeverity | undefined;
};

/** Newest first. `unreadCount` ignores the filters: it is the badge a client shows beside the bell. */
export async function listNotifications(
  db: Database,
  userId: string,
  filters: NotificationFilters,
  page: PageRequest,
) {
  const conditions: SQL[] = [eq(n.userId, userId)];
  if (filters.isRead !== undefined) conditions.push(eq(n.isRead, filters.isRead));
  if (filters.severity) conditions.push(eq(n.severity, filters.severity));
  const where = and(...conditions);
  const [rows, [total], [unread]] = await Promise.all([
    db
      .select()
      .from(n)
      .where(where)
      .orderBy(desc(n.createdAt), desc(n.id))
      .limit(page.limit)
      .offset(pageOffset(page)),
    db.select({ n: count() }).from(n).where(where),
    db
      .select({ n: count() })
      .from(n)
      .where(and(eq(n.userId, userId), eq(n.isRead, false))),
  ]);
  return { ...toPage(rows.map(toNotificationDto), total?.n ?? 0, page), unreadCount: unread?.n ?? 0 };
}

/** Idempotent: reading a read notification again keeps the time it was first read. */
export async function markNotificationRead(db: Database, userId: string, notificationId: string) {
  const mine = and(eq(n.id, notificationId), eq(n.userId, userId));
  await db
    .update(n)
    .set({ isRead: true, readAt: new Date() })
    .where(and(mine, eq(n.isRead, false)));
  const row = await db.query.notifications.findFirst({ where: mine });
  if (!row) throw notFound("Notification");
  return toNotificationDto(row);
}

export async function markAllNotificationsRead(db: Database, userId: string) {
  const result = await db
    .update(n)
    .set({ isRead: true, readAt: new Date() })
    .where(and(eq(n.userId, userId), eq(n.isRead, false)));
  return { updated: result.rowsAffected };
}
