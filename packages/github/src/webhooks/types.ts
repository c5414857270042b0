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

export type WebhookEffects = {
  githubUpdated: (update: GitHubUpdate) => Promise<void>;
  messagePosted: (message: PostedMessage) => Promise<void>;
};

export type HandlerOutcome = {
  status: Extract<schema.WebhookDeliveryStatus, "processed" | "ignored">;
  updates: GitHubUpdate[];
  messages: PostedMessage[];
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
