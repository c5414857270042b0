// A notification as the API serves it (§2.10), and as the `notification` live event will carry it (§4).
import { iso, isoOrNull, type schema } from "@crewdeck/db";

type NotificationRow = typeof schema.notifications.$inferSelect;

export const toNotificationDto = (n: NotificationRow) => ({
  id: n.id,
  type: n.type,
  severity: n.severity,
  title: n.title,
  message: n.message,
  data: n.data,
  isRead: n.isRead,
  readAt: isoOrNull(n.readAt),
  createdAt: iso(n.createdAt),
});

export type NotificationDto = ReturnType<typeof toNotificationDto>;
