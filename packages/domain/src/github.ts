// States of the GitHub issues and pull requests synced into projects.
export const ISSUE_STATES = ["open", "closed"] as const;
export const PULL_REQUEST_STATES = ["open", "closed", "merged"] as const;
export const CHECKS_STATUSES = ["pending", "success", "failure", "neutral"] as const;

export type IssueState = (typeof ISSUE_STATES)[number];
export type PullRequestState = (typeof PULL_REQUEST_STATES)[number];
export type ChecksStatus = (typeof CHECKS_STATUSES)[number];
