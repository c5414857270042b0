// Projects, their members and the GitHub repositories linked to them.
import {
  MEMBER_ROLES,
  PROJECT_STATUSES,
  PROJECT_TYPES,
  REPOSITORY_TYPES,
  SYNC_STATUSES,
} from "@crewdeck/domain";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bool, id, json, timestamp, timestamps } from "../columns";
import { users } from "./auth";

// The values live in @crewdeck/domain, shared with the web app; re-exported so `schema.*` keeps them.
export {
  MEMBER_ROLES,
  type MemberRole,
  PROJECT_STATUSES,
  PROJECT_TYPES,
  type ProjectStatus,
  type ProjectType,
  REPOSITORY_TYPES,
  type RepositoryType,
  SYNC_STATUSES,
  type SyncStatus,
} from "@crewdeck/domain";

export const projects = sqliteTable(
  "projects",
  {
    id: id(),
    name: text("name").notNull(),
    description: text("description"),
    color: text("color"),
    type: text("type", { enum: PROJECT_TYPES }).notNull().default("web-app"),
    status: text("status", { enum: PROJECT_STATUSES }).notNull().default("planning"),
    isActive: bool("is_active").notNull().default(true),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Ordered agent ids the task pipeline runs through (§3); empty means the crew's own order. */
    pipeline: json<string[]>("pipeline").notNull().default([]),
    /** Whether agents' sandboxed commands may reach the network; an owner's choice, off by default. */
    agentNetwork: bool("agent_network").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    index("projects_owner_idx").on(t.ownerId),
    index("projects_created_at_idx").on(t.createdAt),
    index("projects_status_idx").on(t.status),
  ],
);

export const projectMembers = sqliteTable(
  "project_members",
  {
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    ...timestamps(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index("project_members_user_idx").on(t.userId)],
);

/** A GitHub repository linked to a project (seed 000 §4.1 repo object, normalised). */
export const projectRepositories = sqliteTable(
  "project_repositories",
  {
    id: id(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    githubId: integer("github_id"),
    name: text("name").notNull(),
    fullName: text("full_name").notNull(),
    htmlUrl: text("html_url"),
    cloneUrl: text("clone_url"),
    sshUrl: text("ssh_url"),
    defaultBranch: text("default_branch").notNull().default("main"),
    language: text("language"),
    isPrivate: bool("is_private").notNull().default(false),
    type: text("type", { enum: REPOSITORY_TYPES }).notNull(),
    isActive: bool("is_active").notNull().default(true),
    syncStatus: text("sync_status", { enum: SYNC_STATUSES }).notNull().default("pending"),
    syncError: text("sync_error"),
    lastSyncAt: timestamp("last_sync_at"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("project_repositories_project_full_name_uq").on(t.projectId, t.fullName),
    index("project_repositories_project_idx").on(t.projectId),
  ],
);
