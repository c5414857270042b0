// How GitHub's issues and pull requests, as its REST API answers them and as webhooks deliver them (the same
// object shapes), become the columns of our rows: one mapping, so a sync and a webhook store the same thing.
import type { IssuePayload, PullPayload } from "./webhooks/types";

export const toDate = (value: string | null | undefined) => (value ? new Date(value) : null);

export const issueRowValues = (issue: IssuePayload) => ({
  githubId: issue.id,
  title: issue.title,
  body: issue.body ?? null,
  state: issue.state === "closed" ? ("closed" as const) : ("open" as const),
  labels: (issue.labels ?? []).map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
  author: issue.user?.login ?? null,
  htmlUrl: issue.html_url,
  githubCreatedAt: toDate(issue.created_at),
  githubUpdatedAt: toDate(issue.updated_at),
  closedAt: toDate(issue.closed_at),
});

export const pullRequestRowValues = (pull: PullPayload) => ({
  githubId: pull.id,
  title: pull.title,
  body: pull.body ?? null,
  headBranch: pull.head.ref,
  baseBranch: pull.base.ref,
  headSha: pull.head.sha,
  // A webhook says `merged`; the REST list only has `merged_at`.
  state:
    pull.merged || pull.merged_at
      ? ("merged" as const)
      : pull.state === "closed"
        ? ("closed" as const)
        : ("open" as const),
  htmlUrl: pull.html_url,
  author: pull.user?.login ?? null,
  githubCreatedAt: toDate(pull.created_at),
  githubUpdatedAt: toDate(pull.updated_at),
  mergedAt: toDate(pull.merged_at),
  closedAt: toDate(pull.closed_at),
});
