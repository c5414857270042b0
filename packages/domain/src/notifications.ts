export const NOTIFICATION_SEVERITIES = ["info", "warning", "critical"] as const;

export type NotificationSeverity = (typeof NOTIFICATION_SEVERITIES)[number];
