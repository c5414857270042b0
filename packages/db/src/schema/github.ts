// A user's GitHub connection and repositories, and the issues, pull requests and webhooks synced into projects.
import {
  CHECKS_STATUSES,
  ISSUE_STATES,
  PULL_REQUEST_STATES,
  WEBHOOK_DELIVERY_STATUSES,
} from "@crewdeck/domain";
import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { bool, id, json, timestamp, timestamps } from "../columns";
import { agents } from "./agents";
import { users } from "./auth";
import { projectRepositories, projects } from "./projects";
import { runs } from "./runs";
import { tasks } from "./tasks";

// The values live in @crewdeck/domain, shared with the web app; re-exported so `schema.*` keeps them.
export {
  CHECKS_STATUSES,
  type ChecksStatus,
  ISSUE_STATES,
  type IssueState,
  PULL_REQUEST_STATES,
  type PullRequestState,
  WEBHOOK_DELIVERY_STATUSES,
  type WebhookDeliveryStatus,
} from "@crewdeck/domain";
export type GithubProfile = {
  login: string;
  name: string | null;
  avatarUrl: string | null;
  htmlUrl?: string;
  publicRepos?: number;
};

export const githubConnections = sqliteTable(
  "github_connections",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: "cascade" }),
    githubUserId: integer("github_user_id").notNull(),
    username: text("username").notNull(),
    profile: json<GithubProfile>("profile").notNull(),
    /** Ciphertext only: the OAuth token is encrypted before it is stored and never leaves the server. */
    accessTokenEncrypted: text("access_token_encrypted").notNull(),
    scopes: json<string[]>("scopes").notNull().default([]),
    connectedAt: timestamp("connected_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
    lastSyncAt: timestamp("last_sync_at"),
    /** When GitHub last answered 401 to this token (revoked or expired): the person must reconnect. */
    tokenInvalidAt: timestamp("token_invalid_at"),
    ...timestamps(),
  },
  (t) => [index("github_connections_github_user_idx").on(t.githubUserId)],
);

/**
 * The GitHub configuration an administrator sets at runtime (one row, id `default`); it replaces the
 * environment's as a whole, so an OAuth secret from the environment is never sent to a URL an admin chose.
 * Secrets are AES-256-GCM ciphertext (`v1.<iv>.<tag>.<data>`), sealed with the server's secret.
 */
export const githubSettings = sqliteTable("github_settings", {
  id: text("id").primaryKey().default("default"),
  webUrl: text("web_url"),
  apiUrl: text("api_url"),
  clientId: text("client_id"),
  clientSecretEncrypted: text("client_secret_encrypted"),
  appId: text("app_id"),
  appPrivateKeyEncrypted: text("app_private_key_encrypted"),
  webhookSecretEncrypted: text("webhook_secret_encrypted"),
  updatedById: text("updated_by_id").references(() => users.id, { onDelete: "set null" }),
  ...timestamps(),
});

/**
 * The ETag of each page of a user's last repository listing, with what that page held, so a re-sync asks
 * with `If-None-Match` and a 304 (which costs no rate limit) still says which repositories the page lists.
 */
export const githubEtags = sqliteTable(
  "github_etags",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The page's request URL, query included. */
    url: text("url").notNull(),
    etag: text("etag").notNull(),
    /** GitHub ids of the items on the page. */
    itemIds: json<number[]>("item_ids").notNull().default([]),
    /** The page's `Link: rel="next"` URL; a 304 does not repeat it. */
    nextUrl: text("next_url"),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.url] })],
);

/** The GitHub repositories a user can reach, as of their last sync; the picker for linking one to a project. */
export const githubRepositories = sqliteTable(
  "github_repositories",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    githubId: integer("github_id").notNull(),
    name: text("name").notNull(),
    fullName: text("full_name").notNull(),
    description: text("description"),
    isPrivate: bool("is_private").notNull().default(false),
    defaultBranch: text("default_branch").notNull().default("main"),
    language: text("language"),
    htmlUrl: text("html_url").notNull(),
    cloneUrl: text("clone_url"),
    sshUrl: text("ssh_url"),
    stargazersCount: integer("stargazers_count").notNull().default(0),
    forksCount: integer("forks_count").notNull().default(0),
    pushedAt: timestamp("pushed_at"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("github_repositories_user_github_id_uq").on(t.userId, t.githubId),
    index("github_repositories_user_pushed_at_idx").on(t.userId, t.pushedAt),
  ],
);

/** Single-use OAuth `state`, bound to the user who asked for the connect URL; deleted when consumed. */
export const oauthStates = sqliteTable(
  "oauth_states",
  {
    state: text("state").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at").notNull(),
    createdAt: timestamps().createdAt,
  },
  (t) => [index("oauth_states_user_idx").on(t.userId), index("oauth_states_expires_at_idx").on(t.expiresAt)],
);

export const githubIssues = sqliteTable(
  "github_issues",
  {
    id: id(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    repositoryId: text("repository_id")
      .notNull()
      .references(() => projectRepositories.id, { onDelete: "cascade" }),
    githubId: integer("github_id"),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    body: text("body"),
    state: text("state", { enum: ISSUE_STATES }).notNull().default("open"),
    /** Label names. */
    labels: json<string[]>("labels").notNull().default([]),
    author: text("author"),
    htmlUrl: text("html_url").notNull(),
    githubCreatedAt: timestamp("github_created_at"),
    githubUpdatedAt: timestamp("github_updated_at"),
    closedAt: timestamp("closed_at"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("github_issues_repository_number_uq").on(t.repositoryId, t.number),
    index("github_issues_project_state_idx").on(t.projectId, t.state, t.githubCreatedAt),
    index("github_issues_project_created_idx").on(t.projectId, t.githubCreatedAt),
  ],
);

export const pullRequests = sqliteTable(
  "pull_requests",
  {
    id: id(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    repositoryId: text("repository_id")
      .notNull()
      .references(() => projectRepositories.id, { onDelete: "cascade" }),
    taskId: text("task_id").references((): AnySQLiteColumn => tasks.id, { onDelete: "set null" }),
    runId: text("run_id").references((): AnySQLiteColumn => runs.id, { onDelete: "set null" }),
    githubId: integer("github_id"),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    body: text("body"),
    headBranch: text("head_branch").notNull(),
    baseBranch: text("base_branch").notNull(),
    /** Check suites report a commit, not a pull request: the head sha links them. */
    headSha: text("head_sha"),
    state: text("state", { enum: PULL_REQUEST_STATES }).notNull().default("open"),
    checksStatus: text("checks_status", { enum: CHECKS_STATUSES }),
    /** GitHub answers null while it is still computing mergeability. */
    mergeable: bool("mergeable"),
    htmlUrl: text("html_url").notNull(),
    /** GitHub login of the author; synced pull requests may come from people, not agents. */
    author: text("author"),
    authoringAgentId: text("authoring_agent_id").references(() => agents.id, { onDelete: "set null" }),
    githubCreatedAt: timestamp("github_created_at"),
    githubUpdatedAt: timestamp("github_updated_at"),
    mergedAt: timestamp("merged_at"),
    closedAt: timestamp("closed_at"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("pull_requests_repository_number_uq").on(t.repositoryId, t.number),
    index("pull_requests_project_created_idx").on(t.projectId, t.createdAt),
    index("pull_requests_task_idx").on(t.taskId),
    index("pull_requests_run_idx").on(t.runId),
    index("pull_requests_repository_head_sha_idx").on(t.repositoryId, t.headSha),
    index("pull_requests_authoring_agent_idx").on(t.authoringAgentId),
  ],
);

/**
 * Every accepted GitHub webhook delivery. `delivery_id` deduplicates redeliveries; the payload is kept
 * because the hook is answered at once and processed afterwards, which must survive a restart.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: id(),
    deliveryId: text("delivery_id").notNull().unique(),
    event: text("event").notNull(),
    action: text("action"),
    payload: json<unknown>("payload"),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("received"),
    error: text("error"),
    receivedAt: timestamp("received_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
    processedAt: timestamp("processed_at"),
  },
  (t) => [index("webhook_deliveries_status_received_idx").on(t.status, t.receivedAt)],
);
