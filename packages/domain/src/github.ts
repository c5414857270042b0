// States of the GitHub issues and pull requests synced into projects, and of the webhook deliveries received.
export const ISSUE_STATES = ["open", "closed"] as const;
export const PULL_REQUEST_STATES = ["open", "closed", "merged"] as const;
export const CHECKS_STATUSES = ["pending", "success", "failure", "neutral"] as const;
export const WEBHOOK_DELIVERY_STATUSES = ["received", "processed", "ignored", "failed"] as const;

export type IssueState = (typeof ISSUE_STATES)[number];
export type PullRequestState = (typeof PULL_REQUEST_STATES)[number];
export type ChecksStatus = (typeof CHECKS_STATUSES)[number];
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
