// Conversations between people and agents, their messages and the files attached to them.
import {
  CONVERSATION_STATUSES,
  CONVERSATION_TYPES,
  MESSAGE_AUTHOR_TYPES,
  MESSAGE_STATUSES,
} from "@crewdeck/domain";
import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id, json, microUsd, timestamp, timestamps } from "../columns";
import type { DerivedFigures } from "../derived";
import { agents } from "./agents";
import { users } from "./auth";
import { files } from "./files";
import { githubIssues } from "./github";
import { projects } from "./projects";
import { runSteps, runs } from "./runs";
import { tasks } from "./tasks";

// The values live in @crewdeck/domain, shared with the web app; re-exported so `schema.*` keeps them.
export {
  CONVERSATION_STATUSES,
  CONVERSATION_TYPES,
  type ConversationStatus,
  type ConversationType,
  MESSAGE_AUTHOR_TYPES,
  MESSAGE_STATUSES,
  type MessageAuthorType,
  type MessageStatus,
} from "@crewdeck/domain";

export type MessageMetadata = Record<string, unknown>;

export const conversations = sqliteTable(
  "conversations",
  {
    id: id(),
    /** Null for an unassigned conversation, which only its creator sees. */
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    /** Set null, not cascade: a member's account deletion must not erase a shared project's history. */
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    type: text("type", { enum: CONVERSATION_TYPES }).notNull().default("general"),
    status: text("status", { enum: CONVERSATION_STATUSES }).notNull().default("active"),
    taskId: text("task_id").references((): AnySQLiteColumn => tasks.id, { onDelete: "set null" }),
    issueId: text("issue_id").references(() => githubIssues.id, { onDelete: "set null" }),
    /** Starts at creation so lists can order by it through an index, without coalescing nulls. */
    lastMessageAt: timestamp("last_message_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
    /** How many messages it holds, kept by triggers on `messages` (`messageCountFigures`): never counted on read. */
    messageCount: integer("message_count").notNull().default(0),
    /**
     * How many times a person pressed Stop: a round of replies remembers the count it began at and ends,
     * releasing the budget of the agents not yet begun, once it has grown (whichever process runs it).
     */
    replyStops: integer("reply_stops").notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    index("conversations_project_last_message_idx").on(t.projectId, t.lastMessageAt),
    index("conversations_project_status_idx").on(t.projectId, t.status),
    index("conversations_created_by_last_message_idx").on(t.createdById, t.lastMessageAt),
    index("conversations_task_idx").on(t.taskId),
    index("conversations_issue_idx").on(t.issueId),
  ],
);

export const conversationAgents = sqliteTable(
  "conversation_agents",
  {
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    createdAt: timestamps().createdAt,
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.agentId] }),
    index("conversation_agents_agent_idx").on(t.agentId),
  ],
);

export const messages = sqliteTable(
  "messages",
  {
    id: id(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    authorType: text("author_type", { enum: MESSAGE_AUTHOR_TYPES }).notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    agentId: text("agent_id").references(() => agents.id, { onDelete: "set null" }),
    /** Empty while an agent's reply is still streaming in. */
    content: text("content").notNull().default(""),
    status: text("status", { enum: MESSAGE_STATUSES }).notNull().default("complete"),
    replyToId: text("reply_to_id").references((): AnySQLiteColumn => messages.id, { onDelete: "set null" }),
    tokensIn: integer("tokens_in").notNull().default(0),
    tokensOut: integer("tokens_out").notNull().default(0),
    costMicros: microUsd("cost_micros").notNull().default(0),
    model: text("model"),
    runId: text("run_id").references((): AnySQLiteColumn => runs.id, { onDelete: "set null" }),
    runStepId: text("run_step_id").references((): AnySQLiteColumn => runSteps.id, { onDelete: "set null" }),
    metadata: json<MessageMetadata>("metadata").notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    index("messages_conversation_created_id_idx").on(t.conversationId, t.createdAt, t.id),
    index("messages_agent_created_idx").on(t.agentId, t.createdAt),
    // The rest back the set-null foreign keys, so deleting a parent does not scan every message.
    index("messages_user_idx").on(t.userId),
    index("messages_reply_to_idx").on(t.replyToId),
    index("messages_run_idx").on(t.runId),
    index("messages_run_step_idx").on(t.runStepId),
  ],
);

export const messageAttachments = sqliteTable(
  "message_attachments",
  {
    messageId: text("message_id")
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    fileId: text("file_id")
      .notNull()
      .references(() => files.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.messageId, t.fileId] }),
    index("message_attachments_file_idx").on(t.fileId),
  ],
);

export const messageCountFigures: DerivedFigures = {
  name: "message counts",
  triggers: {
    messages_count_on_insert: `CREATE TRIGGER messages_count_on_insert AFTER INSERT ON messages BEGIN
      UPDATE conversations SET message_count = message_count + 1 WHERE id = new.conversation_id;
    END`,
    messages_count_on_move: `CREATE TRIGGER messages_count_on_move AFTER UPDATE OF conversation_id ON messages
      WHEN old.conversation_id IS NOT new.conversation_id BEGIN
      UPDATE conversations SET message_count = message_count - 1 WHERE id = old.conversation_id;
      UPDATE conversations SET message_count = message_count + 1 WHERE id = new.conversation_id;
    END`,
    messages_count_on_delete: `CREATE TRIGGER messages_count_on_delete AFTER DELETE ON messages BEGIN
      UPDATE conversations SET message_count = message_count - 1 WHERE id = old.conversation_id;
    END`,
  },
  backfill: [
    `UPDATE conversations SET message_count =
      (SELECT count(*) FROM messages WHERE messages.conversation_id = conversations.id)`,
  ],
};
