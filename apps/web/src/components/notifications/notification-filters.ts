// The notifications page's filters, kept in the address (?show=unread&severity=critical&page=2) so a
// filtered inbox can be bookmarked and survives a reload.
import { NOTIFICATION_SEVERITIES } from "@crewdeck/domain";
import type { RouterInputs } from "../../lib/trpc";
import type { Notification } from "./notification-view";

export const SHOW_OPTIONS = ["all", "unread", "read"] as const;
export type Show = (typeof SHOW_OPTIONS)[number];
export const SEVERITIES = NOTIFICATION_SEVERITIES;

export type NotificationFilters = { show: Show; severity: Notification["severity"] | null; page: number };

export function readFilters(params: URLSearchParams): NotificationFilters {
  const show = params.get("show");
  const severity = params.get("severity");
  const page = Number(params.get("page"));
  return {
    show: SHOW_OPTIONS.find((option) => option === show) ?? "all",
    severity: SEVERITIES.find((option) => option === severity) ?? null,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The search params for `filters`, leaving defaults out so the plain address is the plain inbox. */
export function writeFilters(filters: NotificationFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.show !== "all") params.set("show", filters.show);
  if (filters.severity) params.set("severity", filters.severity);
  if (filters.page > 1) params.set("page", String(filters.page));
  return params;
}

export function listInput(
  filters: NotificationFilters,
  limit: number,
): RouterInputs["notifications"]["list"] {
  return {
    page: filters.page,
    limit,
    ...(filters.show !== "all" && { isRead: filters.show === "read" }),
    ...(filters.severity && { severity: filters.severity }),
  };
}
