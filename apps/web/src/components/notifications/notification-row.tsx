// One notification on the notifications page: what happened, when, and what can be done with it.
import { Link } from "react-router";
import { formatDateTime, formatRelative } from "../../lib/format";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { type Notification, notificationLink, SEVERITY_TONE } from "./notification-view";

export function NotificationRow({
  notification,
  onMarkRead,
  onOpen,
  marking,
}: {
  notification: Notification;
  onMarkRead: () => void;
  /** Following the link reads it too. */
  onOpen: () => void;
  marking: boolean;
}) {
  const link = notificationLink(notification);
  return (
    <li
      className={cn(
        "flex flex-col gap-2 border-b border-border p-4 last:border-0 sm:flex-row sm:items-start",
        !notification.isRead && "bg-accent/5",
      )}
    >
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          {!notification.isRead && <span aria-hidden className="h-2 w-2 rounded-full bg-accent" />}
          <h2 className={cn("text-sm", notification.isRead ? "font-medium" : "font-semibold")}>
            {notification.title}
          </h2>
          <Badge tone={SEVERITY_TONE[notification.severity]}>{notification.severity}</Badge>
          {!notification.isRead && <Badge tone="accent">Unread</Badge>}
        </div>
        <p className="mt-1 whitespace-pre-line text-sm text-muted">{notification.message}</p>
        <p className="mt-1 text-xs text-muted">
          <time dateTime={notification.createdAt} title={formatDateTime(notification.createdAt)}>
            {formatRelative(notification.createdAt)}
          </time>
        </p>
      </div>
      <div className="flex shrink-0 gap-2">
        {link && (
          <Link
            to={link}
            onClick={onOpen}
            className="inline-flex h-8 items-center rounded-md border border-border bg-surface px-2.5 text-sm font-medium hover:bg-subtle"
          >
            Open<span className="sr-only">: {notification.title}</span>
          </Link>
        )}
        {!notification.isRead && (
          <Button size="sm" variant="ghost" busy={marking} onClick={onMarkRead}>
            Mark read<span className="sr-only">: {notification.title}</span>
          </Button>
        )}
      </div>
    </li>
  );
}
