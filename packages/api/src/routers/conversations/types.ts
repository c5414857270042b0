import {
  AGENT_ROLES,
  CONVERSATION_STATUSES,
  CONVERSATION_TYPES,
  MESSAGE_AUTHOR_TYPES,
  MESSAGE_STATUSES,
  TASK_STATUSES,
} from "@crewdeck/domain";
import { z } from "zod";
import { zId, zIsoDate, zPage, zPageInput } from "../../lib/schemas";
import {
  MAX_ATTACHMENTS,
  MAX_MESSAGE_CHARS,
  MESSAGE_PAGE_DEFAULT,
  MESSAGE_PAGE_MAX,
} from "../../services/conversations/limits";
import { zFile } from "../files/types";

export const zConversationType = z.enum(CONVERSATION_TYPES);
export const zConversationStatus = z.enum(CONVERSATION_STATUSES);

export const zConversationRef = z.object({ conversationId: zId });
export const zTaskRef = z.object({ taskId: zId });

const zAgentRef = z.object({ id: z.string(), name: z.string(), role: z.enum(AGENT_ROLES) });

export const zConversation = z.object({
  id: z.string(),
  projectId: z.string().nullable(),
  title: z.string(),
  type: zConversationType,
  status: zConversationStatus,
  taskId: z.string().nullable(),
  issueId: z.string().nullable(),
  agents: z.array(zAgentRef),
  messageCount: z.number().int(),
  lastMessageAt: zIsoDate,
  createdAt: zIsoDate,
  updatedAt: zIsoDate,
  createdBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});

export const zMessage = z.object({
  id: z.string(),
  conversationId: z.string(),
  authorType: z.enum(MESSAGE_AUTHOR_TYPES),
  /** `id` is null for system messages and for authors whose account or agent is gone. */
  author: z.object({ id: z.string().nullable(), name: z.string() }),
  agent: zAgentRef.nullable(),
  content: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  replyTo: z.string().nullable(),
  /** An attachment is the uploaded file, shown as the upload answered it. */
  attachments: z.array(zFile),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  costUsd: z.number(),
  model: z.string().nullable(),
  createdAt: zIsoDate,
});

/** `?before=<messageId>&limit=50`: newest first, older pages by walking `before` down. */
export const zMessageCursorInput = z.object({
  before: zId.optional(),
  limit: z.coerce.number().int().min(1).max(MESSAGE_PAGE_MAX).default(MESSAGE_PAGE_DEFAULT),
});

export const zMessagePage = z.object({ items: z.array(zMessage), hasMore: z.boolean() });

export const zConversationDetail = zConversation.extend({
  messages: z.array(zMessage),
  hasMore: z.boolean(),
});

const zFilters = {
  type: zConversationType.optional(),
  status: zConversationStatus.optional(),
};

export const zListConversationsInput = zPageInput.extend({
  /** A project id, or `unassigned` for the caller's conversations outside any project. */
  projectId: zId.optional(),
  ...zFilters,
});
export const zProjectConversationsInput = zPageInput.extend(zFilters);
export const zConversationPage = zPage(zConversation);

const zIdList = (max: number) =>
  z
    .array(zId)
    .max(max)
    .refine((ids) => new Set(ids).size === ids.length, "Lists an id twice");

const zContent = z
  .string()
  .max(MAX_MESSAGE_CHARS)
  .refine((s) => s.trim().length > 0, "Must not be empty");

export const zCreateConversationBody = z.object({
  title: z.string().trim().min(1).max(200),
  type: zConversationType.optional(),
  agentIds: zIdList(50).optional(),
  taskId: zId.optional(),
  issueId: zId.optional(),
  initialMessage: zContent.optional(),
  /** Seed 001's names for `agentIds` and `issueId` (the contract's win when both are sent). */
  agent_ids: zIdList(50).optional().describe("Seed 001's name for `agentIds`"),
  issue_id: zId.nullable().optional().describe("Seed 001's name for `issueId`"),
});
/** No project (absent or null) makes an unassigned conversation that only its creator sees. */
export const zCreateConversationInput = zCreateConversationBody.extend({
  projectId: zId.nullable().optional(),
  /** Seed 003's name for `projectId`; a conversation is never filed outside the project a client named. */
  project_id: zId.nullable().optional().describe("Seed 003's name for `projectId`"),
});

export const zUpdateConversationInput = zConversationRef.extend({
  title: z.string().trim().min(1).max(200).optional(),
  status: zConversationStatus.optional(),
});

export const zPostMessageBody = z.object({
  content: zContent,
  replyTo: zId.nullable().optional(),
  attachmentIds: zIdList(MAX_ATTACHMENTS).optional(),
  /** Seed 003's name for `attachmentIds`. */
  files: zIdList(MAX_ATTACHMENTS).optional().describe("Seed 003's name for `attachmentIds`"),
  agentIds: zIdList(50).optional(),
  /** Seed 001's name for `replyTo`. */
  reply_to: zId.nullable().optional().describe("Seed 001's name for `replyTo`"),
});

/** The stored message, and who will answer it: a post is never left unanswered without saying so. */
export const zPostedMessage = zMessage.extend({
  answering: z
    .object({
      agents: z.array(zAgentRef).describe("The agents that will answer, in order"),
      reason: z.string().nullable().describe("Why nobody will answer, when `agents` is empty"),
    })
    .describe("Who answers this message, or why nobody will"),
});

export const zMessageRef = zConversationRef.extend({ messageId: zId });
export const zStopped = z.object({
  stopped: z.number().int().describe("How many replies being written were stopped (0 when none was)"),
  skipped: z
    .number()
    .int()
    .describe("How many agents due to answer after them will not start (their round ended with the stop)"),
});
export const zRegenerated = z.object({
  agents: z.array(zAgentRef).describe("The agent that answers again"),
});

export const zConversationAgentsBody = z.object({ agentIds: zIdList(50).min(1) });
export const zConversationAgentsInput = zConversationRef.extend(zConversationAgentsBody.shape);
export const zConversationAgentRef = zConversationRef.extend({ agentId: zId });

export const zTaskConversation = z.object({
  task: z.object({ id: z.string(), title: z.string(), status: z.enum(TASK_STATUSES) }),
  conversations: z.array(
    z.object({ id: z.string(), title: z.string(), type: zConversationType, status: zConversationStatus }),
  ),
  messages: z.array(zMessage),
  metadata: z.object({
    agents: z.array(zAgentRef),
    totalMessages: z.number().int(),
    totalConversations: z.number().int(),
    lastUpdated: zIsoDate.nullable(),
  }),
});
