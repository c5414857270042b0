// The bell in the top bar: how many notifications are unread, and the latest ones in a popover. New
// notifications arrive through the live stream, which refreshes this query.
import { useQuery } from "@tanstack/react-query";
import { Bell } from "lucide-react";
import { Popover } from "radix-ui";
import { useState } from "react";
import { Link } from "react-router";
import { formatRelative } from "../../lib/format";
import { useTRPC } from "../../lib/trpc";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { Failed, Loading } from "../ui/states";
import { bellLabel, notificationLink, unreadBadge } from "./notification-view";
import { useNotificationActions } from "./use-notification-actions";

const LATEST = 8;

export function NotificationBell() {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const latest = useQuery(trpc.notifications.list.queryOptions({ limit: LATEST }));
  const actions = useNotificationActions();
  const unread = latest.data?.unreadCount ?? 0;
  const badge = unreadBadge(unread);

  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <Button variant="ghost" size="icon" aria-label={bellLabel(unread)} className="relative">
          <Bell size={18} aria-hidden />
          {badge && (
            <span
              aria-hidden
              className="absolute -right-1 -top-1 min-w-4 rounded-full bg-danger px-1 text-center text-[10px] font-semibold leading-4 text-white"
            >
              {badge}
            </span>
          )}
        </Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          aria-label="Latest notifications"
          className="z-50 flex max-h-[min(32rem,80vh)] w-[min(24rem,calc(100vw-1rem))] flex-col rounded-lg border border-border bg-surface shadow-lg"
        >
          <div className="flex items-center justify-between gap-2 border-b border-border px-3 py-2">
            <h2 className="text-sm font-semibold">Notifications</h2>
            <Button
              size="sm"
              variant="ghost"
              disabled={unread === 0}
              busy={actions.markAllRead.isPending}
              onClick={() => actions.markAllRead.mutate()}
            >
              Mark all read
            </Button>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto">
            {latest.isPending && <Loading />}
            {latest.error && !latest.data && (
              <div className="p-3">
                <Failed error={latest.error} onRetry={() => latest.refetch()} />
              </div>
            )}
            {latest.data?.items.length === 0 && (
              <p className="p-6 text-center text-sm text-muted">You are all caught up.</p>
            )}
            {latest.data && latest.data.items.length > 0 && (
              <ul>
                {latest.data.items.map((notification) => (
                  <li key={notification.id} className="border-b border-border last:border-0">
                    <button
                      type="button"
                      onClick={() => {
                        actions.open(notification);
                        if (notificationLink(notification)) setOpen(false);
                      }}
                      className={cn(
                        "flex w-full gap-2 px-3 py-2 text-left hover:bg-subtle",
                        !notification.isRead && "bg-accent/5",
                      )}
                    >
                      <span
                        aria-hidden
                        className={cn(
                          "mt-1.5 h-2 w-2 shrink-0 rounded-full",
                          notification.isRead ? "bg-transparent" : "bg-accent",
                        )}
                      />
                      <span className="min-w-0 flex-1">
                        <span className={cn("block text-sm", !notification.isRead && "font-semibold")}>
                          {notification.title}
                          {!notification.isRead && <span className="sr-only"> (unread)</span>}
                        </span>
                        <span className="line-clamp-2 block text-xs text-muted">{notification.message}</span>
                        <span className="block text-xs text-muted">
                          {formatRelative(notification.createdAt)}
                        </span>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="border-t border-border px-3 py-2 text-right">
            <Link
              to="/notifications"
              onClick={() => setOpen(false)}
              className="text-sm font-medium text-accent underline"
            >
              See all
            </Link>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
