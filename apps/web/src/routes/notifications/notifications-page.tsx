// Every notification, filtered by read state and severity, newest first.
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import {
  listInput,
  type NotificationFilters,
  readFilters,
  SEVERITIES,
  SHOW_OPTIONS,
  writeFilters,
} from "../../components/notifications/notification-filters";
import { NotificationRow } from "../../components/notifications/notification-row";
import { useNotificationActions } from "../../components/notifications/use-notification-actions";
import { Button } from "../../components/ui/button";
import { SelectField } from "../../components/ui/field";
import { Pager } from "../../components/ui/pager";
import { Empty, QueryState } from "../../components/ui/states";
import { useTRPC } from "../../lib/trpc";
import { usePageTitle } from "../../lib/use-page-title";

const PAGE_SIZE = 30;
const SHOW_LABELS = { all: "All", unread: "Unread", read: "Read" } as const;

const EMPTY_TEXT = {
  all: "Budget alerts, failed runs and other news about your projects will show up here.",
  unread: "You have read everything.",
  read: "Nothing read yet.",
} as const;

export default function NotificationsPage() {
  usePageTitle("Notifications");
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const list = useQuery(trpc.notifications.list.queryOptions(listInput(filters, PAGE_SIZE)));
  const actions = useNotificationActions();
  // A new filter starts from its first page.
  const setFilters = (changes: Partial<NotificationFilters>) =>
    setParams(writeFilters({ ...filters, page: 1, ...changes }), { replace: true });
  const unread = list.data?.unreadCount ?? 0;

  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-4 p-4 sm:p-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Notifications</h1>
          <p className="text-sm text-muted">{unread > 0 ? `${unread} unread` : "All read"}</p>
        </div>
        <Button
          disabled={unread === 0}
          busy={actions.markAllRead.isPending}
          onClick={() => actions.markAllRead.mutate()}
        >
          Mark all read
        </Button>
      </header>

      <div className="flex flex-wrap items-end gap-3">
        <fieldset className="flex flex-col gap-1">
          <legend className="text-sm font-medium">Show</legend>
          {/* Radios, not toggle buttons: one choice of three, moved through with the arrow keys. */}
          <div className="flex overflow-hidden rounded-md border border-border">
            {SHOW_OPTIONS.map((option) => (
              <label key={option} className="relative">
                <input
                  type="radio"
                  name="show"
                  value={option}
                  checked={filters.show === option}
                  onChange={() => setFilters({ show: option })}
                  // Invisible over its label rather than hidden: the click lands on the radio itself.
                  className="peer absolute inset-0 cursor-pointer opacity-0"
                />
                <span className="flex h-9 items-center bg-surface px-3 text-sm hover:bg-subtle peer-checked:bg-accent peer-checked:text-accent-text peer-focus-visible:outline-2 peer-focus-visible:outline-accent">
                  {SHOW_LABELS[option]}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <SelectField
          label="Severity"
          className="w-40"
          value={filters.severity ?? ""}
          onChange={(e) => setFilters({ severity: SEVERITIES.find((s) => s === e.target.value) ?? null })}
        >
          <option value="">Any</option>
          {SEVERITIES.map((severity) => (
            <option key={severity} value={severity}>
              {severity.charAt(0).toUpperCase() + severity.slice(1)}
            </option>
          ))}
        </SelectField>
      </div>

      <QueryState query={list} loading="Loading notifications…">
        {(page) =>
          page.items.length === 0 ? (
            <Empty title="No notifications">{EMPTY_TEXT[filters.show]}</Empty>
          ) : (
            <>
              <ul aria-label="Notifications" className="rounded-lg border border-border bg-surface">
                {page.items.map((notification) => (
                  <NotificationRow
                    key={notification.id}
                    notification={notification}
                    marking={
                      actions.markRead.isPending &&
                      actions.markRead.variables?.notificationId === notification.id
                    }
                    onMarkRead={() => actions.markRead.mutate({ notificationId: notification.id })}
                    onOpen={() => {
                      if (!notification.isRead) actions.markRead.mutate({ notificationId: notification.id });
                    }}
                  />
                ))}
              </ul>
              <Pager
                page={page.page}
                pages={page.pages}
                onPage={(next) => setParams(writeFilters({ ...filters, page: next }))}
                label="Notification pages"
              />
            </>
          )
        }
      </QueryState>
    </div>
  );
}
