// What processing a delivery changes, and the effects the caller performs for it: the github package stays
// independent of the engine, so live events and message announcements go through callbacks.
import type { schema } from "@crewdeck/db";

/** A synced issue or pull request changed: open screens of its project refresh. */
export type GitHubUpdate = {
  projectId: string;
  kind: "issue" | "pull_request";
  /** Our id of the row (`github_issues.id` / `pull_requests.id`). */
  id: string;
  number: number;
  /** The webhook's action (`opened`, `closed`, `synchronize`, `completed`…), or the event when it has none. */
  action: string;
  /** True when the row is gone (an issue deleted or transferred away). */
  removed?: boolean;
};

/** A message stored in a task's conversation (review feedback), to be announced as the `message` event. */
export type PostedMessage = {
  messageId: string;
  conversationId: string;
  projectId: string;
  taskId: string;
  createdById: string | null;
};

/** A reviewer requested changes on a task's pull request, and the review's body was posted as `messageId`. */
export type ChangesRequested = {
  pullRequestId: string;
  taskId: string;
  projectId: string;
  /** GitHub's review id: a redelivered review carries the same one. */
  githubReviewId: number;
  /** The message in the task's conversation that carries the review (the same one on every delivery). */
  messageId: string;
  feedback: string;
  reviewer: string | null;
};

/** A task's pull request was merged or closed. */
export type PullRequestFinished = {
  pullRequestId: string;
  taskId: string;
  state: "merged" | "closed";
};

export type WebhookEffects = {
  githubUpdated: (update: GitHubUpdate) => Promise<void>;
  messagePosted: (message: PostedMessage) => Promise<void>;
  /** The review loop (a revision run), which the engine owns; called once per delivery, not once per review. */
  changesRequested?: (review: ChangesRequested) => Promise<void>;
  /** The task's workspace may go. */
  pullRequestFinished?: (pull: PullRequestFinished) => Promise<void>;
};

export type HandlerOutcome = {
  status: Extract<schema.WebhookDeliveryStatus, "processed" | "ignored">;
  updates: GitHubUpdate[];
  messages: PostedMessage[];
  reviews?: ChangesRequested[];
  finished?: PullRequestFinished[];
};

export type GitHubUser = { login: string } | null | undefined;

export type RepositoryPayload = { id: number; full_name: string };

export type IssuePayload = {
  id: number;
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels?: ({ name?: string } | string)[];
  user?: GitHubUser;
  html_url: string;
  created_at?: string | null;
  updated_at?: string | null;
  closed_at?: string | null;
  pull_request?: unknown;
};

export type PullPayload = {
  id: number;
  number: number;
  title: string;
  body?: string | null;
  state: string;
  merged?: boolean | null;
  merged_at?: string | null;
  closed_at?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  html_url: string;
  user?: GitHubUser;
  head: { ref: string; sha: string };
  base: { ref: string };
  mergeable?: boolean | null;
};

export type ReviewPayload = {
  id: number;
  state: string;
  body?: string | null;
  user?: GitHubUser;
  html_url?: string;
};

export type CheckPayload = {
  head_sha: string;
  status: string | null;
  conclusion: string | null;
};
