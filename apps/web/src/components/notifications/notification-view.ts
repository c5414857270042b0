// How a notification reads and where it leads. Notifications carry the ids of what they are about in
// `data` (a task, a budget limit, a project…); the screen that shows that thing is where a click goes.
import type { RouterOutputs } from "../../lib/trpc";
import type { BadgeTone } from "../ui/badge";

export type Notification = RouterOutputs["notifications"]["list"]["items"][number];

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** The app path a notification opens, or null when it is about nothing in particular. */
export function notificationLink(notification: Pick<Notification, "type" | "data">): string | null {
  const { data } = notification;
  const link = text(data.link);
  // Only paths inside the app: a notification must not send anyone to another site.
  if (link?.startsWith("/") && !link.startsWith("//")) return link;
  const id = (key: string) => {
    const value = text(data[key]);
    return value ? encodeURIComponent(value) : null;
  };
  const taskId = id("taskId");
  if (taskId) return `/tasks/${taskId}`;
  const conversationId = id("conversationId");
  if (conversationId) return `/chats/${conversationId}`;
  if (notification.type === "budget_alert" || id("limitId")) return "/budgets";
  const projectId = id("projectId");
  if (projectId) return `/projects/${projectId}`;
  return null;
}

/** The bell's accessible name: "Notifications, 3 unread". */
export const bellLabel = (unread: number): string =>
  unread > 0 ? `Notifications, ${unread} unread` : "Notifications";

/** The count on the bell, capped so it stays a small badge. */
export const unreadBadge = (unread: number): string | null =>
  unread <= 0 ? null : unread > 99 ? "99+" : String(unread);

export const SEVERITY_TONE: Record<Notification["severity"], BadgeTone> = {
  info: "accent",
  warning: "warn",
  critical: "danger",
};
