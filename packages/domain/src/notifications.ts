export const NOTIFICATION_SEVERITIES = ["info", "warning", "critical"] as const;

export type NotificationSeverity = (typeof NOTIFICATION_SEVERITIES)[number];

/**
 * The notices a person chooses to get or not, each on until they turn it off. Budget alerts are not among
 * them: a limit's owner always hears that it is running out.
 */
export const NOTIFICATION_KINDS = [
  "run_completed",
  "run_failed",
  "run_cancelled",
  "run_stopped",
  "pull_request_opened",
  "pull_request_approved",
  "pull_request_rejected",
  "project_added",
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * The kind a notification's type belongs to, or null for those nobody can turn off (budget alerts). Being
 * added to a project is an invitation one accepts, so its notice is the invitation's.
 */
export function notificationKindOf(type: string): NotificationKind | null {
  if (type === "project_invitation") return "project_added";
  return (NOTIFICATION_KINDS as readonly string[]).includes(type) ? (type as NotificationKind) : null;
}
