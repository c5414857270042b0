// Tasks the crew works on, and which of the project's repositories each may touch.
import {
  TASK_COMPLEXITIES,
  TASK_PRIORITIES,
  TASK_STATUSES,
  TASK_TYPES,
  type TaskResultType,
} from "@crewdeck/domain";
import { type AnySQLiteColumn, index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, id, json, timestamp, timestamps } from "../columns";
import { agents } from "./agents";
import { users } from "./auth";
import { conversations } from "./conversations";
import { githubIssues } from "./github";
import { projectRepositories, projects } from "./projects";

// The values live in @crewdeck/domain, shared with the web app; re-exported so `schema.*` keeps them.
export {
  TASK_COMPLEXITIES,
  TASK_PRIORITIES,
  TASK_RESULT_TYPES,
  TASK_STATUSES,
  TASK_TYPES,
  type TaskComplexity,
  type TaskPriority,
  type TaskResultType,
  type TaskStatus,
  type TaskType,
} from "@crewdeck/domain";
/** A run that changed code ends in a pull request; any other run's result is its final step's output (§3). */
export type TaskResult = {
  type: TaskResultType;
  pullRequestId?: string;
  pullRequestUrl?: string;
  output?: string;
};

export const tasks = sqliteTable(
  "tasks",
  {
    id: id(),
    /** Null for an unassigned task, which only its creator sees. */
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    /** Set null, not cascade: a member's account deletion must not erase a shared project's tasks. */
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    description: text("description"),
    prompt: text("prompt"),
    type: text("type", { enum: TASK_TYPES }).notNull().default("feature"),
    priority: text("priority", { enum: TASK_PRIORITIES }).notNull().default("medium"),
    complexity: text("complexity", { enum: TASK_COMPLEXITIES }).notNull().default("moderate"),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("backlog"),
    repositoryId: text("repository_id").references(() => projectRepositories.id, { onDelete: "set null" }),
    branch: text("branch"),
    targetBranch: text("target_branch"),
    issueId: text("issue_id").references(() => githubIssues.id, { onDelete: "set null" }),
    assignedToAgentId: text("assigned_to_agent_id").references(() => agents.id, { onDelete: "set null" }),
    definitionOfDone: text("definition_of_done"),
    /** The conversation the task's agents and people talk in. */
    conversationId: text("conversation_id").references((): AnySQLiteColumn => conversations.id, {
      onDelete: "set null",
    }),
    result: json<TaskResult>("result"),
    completedAt: timestamp("completed_at"),
    ...timestamps(),
  },
  (t) => [
    index("tasks_project_created_idx").on(t.projectId, t.createdAt),
    index("tasks_project_status_idx").on(t.projectId, t.status),
    index("tasks_created_by_created_idx").on(t.createdById, t.createdAt),
    index("tasks_assigned_agent_status_idx").on(t.assignedToAgentId, t.status),
    index("tasks_issue_idx").on(t.issueId),
    index("tasks_repository_idx").on(t.repositoryId),
    index("tasks_conversation_idx").on(t.conversationId),
  ],
);

/** The project repositories a task may touch; `is_active` switches one off without forgetting it. */
export const taskRepositories = sqliteTable(
  "task_repositories",
  {
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    repositoryId: text("repository_id")
      .notNull()
      .references(() => projectRepositories.id, { onDelete: "cascade" }),
    isActive: bool("is_active").notNull().default(true),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ columns: [t.taskId, t.repositoryId] }),
    index("task_repositories_repository_idx").on(t.repositoryId),
  ],
);
