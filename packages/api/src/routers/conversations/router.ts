import type { z } from "zod";
import { OK, zBool, zOk } from "../../lib/schemas";
import { aliased } from "../../lib/seed-aliases";
import { loadConversation, loadTask } from "../../services/access/scoped-resources";
import { addConversationAgents, removeConversationAgent } from "../../services/conversations/agents";
import {
  conversationInProject,
  createConversation,
  deleteConversation,
  getConversation,
  listConversations,
  listProjectConversations,
  setConversationPaused,
  updateConversation,
} from "../../services/conversations/conversations";
import { listMessagePage, postMessage } from "../../services/conversations/messages";
import { regenerateReply, stopReplies } from "../../services/conversations/replies";
import { getTaskConversation } from "../../services/conversations/task-conversation";
import { publishTyping } from "../../services/conversations/typing";
import { authedProcedure, createTRPCRouter, projectProcedure } from "../../trpc";
import {
  zConversation,
  zConversationAgentRef,
  zConversationAgentsInput,
  zConversationDetail,
  zConversationPage,
  zConversationRef,
  zCreateConversationBody,
  zCreateConversationInput,
  zListConversationsInput,
  zMessageCursorInput,
  zMessagePage,
  zMessageRef,
  zPostedMessage,
  zPostMessageBody,
  zProjectConversationsInput,
  zRegenerated,
  zStopped,
  zTaskConversation,
  zTaskRef,
  zUpdateConversationInput,
} from "./types";

/** A create body with seed 001's snake_case names folded into the contract's. */
function conversationFromSeedNames<T extends z.infer<typeof zCreateConversationBody>>({
  agent_ids,
  issue_id,
  ...conversation
}: T) {
  return {
    ...conversation,
    agentIds: aliased(conversation.agentIds, agent_ids),
    issueId: aliased(conversation.issueId, issue_id),
  };
}

const tags = ["conversations"];
const path = "/conversations/{conversationId}";
// Seed 001's project-scoped forms: the same services, but a conversation of another project is not found.
const projectPath = "/projects/{projectId}/conversations/{conversationId}";

const zDetailInput = zConversationRef.extend(zMessageCursorInput.shape);
const zPostInput = zConversationRef.extend(zPostMessageBody.shape);
const zTypingInput = zConversationRef.extend({ isTyping: zBool });

const messagesRouter = createTRPCRouter({
  regenerate: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: `${path}/messages/{messageId}/regenerate`,
        tags,
        summary: "Replace an agent's reply: it is removed and the agent answers the same message again",
      },
    })
    .input(zMessageRef)
    .output(zRegenerated)
    .mutation(async ({ ctx, input: { conversationId, messageId } }) => {
      const userId = ctx.viewer.user.id;
      const { row } = await loadConversation(ctx.db, conversationId, userId, "maintainer");
      return regenerateReply(ctx, row, userId, messageId);
    }),

  list: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: { method: "GET", path: `${path}/messages`, tags, summary: "Messages, newest first" },
    })
    .input(zDetailInput)
    .output(zMessagePage)
    .query(async ({ ctx, input: { conversationId, ...cursor } }) => {
      const { row } = await loadConversation(ctx.db, conversationId, ctx.viewer.user.id, "viewer");
      return listMessagePage(ctx.db, row.id, cursor);
    }),

  create: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: `${path}/messages`,
        tags,
        summary: "Post a message; the addressed agents answer asynchronously",
      },
    })
    .input(zPostInput)
    .output(zPostedMessage)
    .mutation(async ({ ctx, input: { conversationId, files, ...message } }) => {
      const { row } = await loadConversation(ctx.db, conversationId, ctx.viewer.user.id, "maintainer");
      const { reply_to, ...rest } = message;
      return postMessage(ctx, row, ctx.viewer.user, {
        ...rest,
        replyTo: aliased(rest.replyTo, reply_to),
        attachmentIds: rest.attachmentIds ?? files,
      });
    }),
});

/**
 * Seed 001's project-scoped forms, under `project` as in every router that has them (`tasks.project`):
 * the same services, but a conversation of another project is not found. Their operation ids are the
 * ones published before the procedures moved here.
 */
const projectMessagesRouter = createTRPCRouter({
  list: projectProcedure("viewer")
    .meta({
      openapi: {
        operationId: "conversations-messages-projectList",
        method: "GET",
        path: `${projectPath}/messages`,
        tags,
        summary: "Messages, newest first",
      },
    })
    .input(zDetailInput)
    .output(zMessagePage)
    .query(async ({ ctx, input: { conversationId, projectId: _, ...cursor } }) => {
      const row = await conversationInProject(ctx.db, ctx.project.id, conversationId);
      return listMessagePage(ctx.db, row.id, cursor);
    }),

  create: projectProcedure("maintainer")
    .meta({
      openapi: {
        operationId: "conversations-messages-projectCreate",
        method: "POST",
        path: `${projectPath}/messages`,
        tags,
        summary: "Post a message",
      },
    })
    .input(zPostInput)
    .output(zPostedMessage)
    .mutation(async ({ ctx, input: { conversationId, projectId: _, files, ...message } }) => {
      const row = await conversationInProject(ctx.db, ctx.project.id, conversationId);
      const { reply_to, ...rest } = message;
      return postMessage(ctx, row, ctx.viewer.user, {
        ...rest,
        replyTo: aliased(rest.replyTo, reply_to),
        attachmentIds: rest.attachmentIds ?? files,
      });
    }),
});

const projectRouter = createTRPCRouter({
  list: projectProcedure("viewer")
    .meta({
      openapi: {
        operationId: "conversations-projectList",
        method: "GET",
        path: "/projects/{projectId}/conversations",
        tags,
        summary: "A project's conversations",
      },
    })
    .input(zProjectConversationsInput)
    .output(zConversationPage)
    .query(({ ctx, input: { page, limit, projectId: _, ...filters } }) =>
      listProjectConversations(ctx, ctx.project.id, filters, { page, limit }),
    ),

  create: projectProcedure("maintainer")
    .meta({
      openapi: {
        operationId: "conversations-projectCreate",
        method: "POST",
        path: "/projects/{projectId}/conversations",
        tags,
        summary: "Start a conversation in the project",
      },
    })
    .input(zCreateConversationBody)
    .output(zConversationDetail)
    .mutation(({ ctx, input }) =>
      createConversation(ctx, ctx.viewer.user.id, {
        ...conversationFromSeedNames(input),
        projectId: ctx.project.id,
      }),
    ),

  get: projectProcedure("viewer")
    .meta({
      openapi: {
        operationId: "conversations-projectGet",
        method: "GET",
        path: projectPath,
        tags,
        summary: "A conversation with its newest page of messages",
      },
    })
    .input(zDetailInput)
    .output(zConversationDetail)
    .query(async ({ ctx, input: { conversationId, projectId: _, ...cursor } }) => {
      const row = await conversationInProject(ctx.db, ctx.project.id, conversationId);
      return getConversation(ctx, row, cursor);
    }),

  pause: projectProcedure("maintainer")
    .meta({
      openapi: {
        operationId: "conversations-projectPause",
        method: "POST",
        path: `${projectPath}/pause`,
        tags,
        summary: "Pause all agent activity in it",
      },
    })
    .input(zConversationRef)
    .output(zConversation)
    .mutation(async ({ ctx, input }) => {
      const row = await conversationInProject(ctx.db, ctx.project.id, input.conversationId);
      return setConversationPaused(ctx, row, true);
    }),

  resume: projectProcedure("maintainer")
    .meta({
      openapi: {
        operationId: "conversations-projectResume",
        method: "POST",
        path: `${projectPath}/resume`,
        tags,
        summary: "Let its agents answer again",
      },
    })
    .input(zConversationRef)
    .output(zConversation)
    .mutation(async ({ ctx, input }) => {
      const row = await conversationInProject(ctx.db, ctx.project.id, input.conversationId);
      return setConversationPaused(ctx, row, false);
    }),

  messages: projectMessagesRouter,
});

export const conversationsRouter = createTRPCRouter({
  list: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/conversations",
        tags,
        summary: "Your conversations across your projects, and your unassigned ones",
      },
    })
    .input(zListConversationsInput)
    .output(zConversationPage)
    .query(({ ctx, input: { page, limit, ...filters } }) =>
      listConversations(ctx, ctx.viewer.user.id, filters, { page, limit }),
    ),

  create: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: "/conversations",
        tags,
        summary: "Start a conversation, in a project or unassigned",
      },
    })
    .input(zCreateConversationInput)
    .output(zConversationDetail)
    .mutation(({ ctx, input: { project_id, ...input } }) =>
      createConversation(ctx, ctx.viewer.user.id, {
        ...conversationFromSeedNames(input),
        projectId: input.projectId === undefined ? project_id : input.projectId,
      }),
    ),

  get: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: { method: "GET", path, tags, summary: "A conversation with its newest page of messages" },
    })
    .input(zDetailInput)
    .output(zConversationDetail)
    .query(async ({ ctx, input: { conversationId, ...cursor } }) => {
      const { row } = await loadConversation(ctx.db, conversationId, ctx.viewer.user.id, "viewer");
      return getConversation(ctx, row, cursor);
    }),

  update: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: { method: "PATCH", path, tags, summary: "Rename, or change the status" },
    })
    .input(zUpdateConversationInput)
    .output(zConversation)
    .mutation(async ({ ctx, input: { conversationId, ...changes } }) => {
      const { row } = await loadConversation(ctx.db, conversationId, ctx.viewer.user.id, "maintainer");
      return updateConversation(ctx, row, changes);
    }),

  stop: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: `${path}/stop`,
        tags,
        summary: "Stop the replies being written now, keeping what they said; the chat stays active",
      },
    })
    .input(zConversationRef)
    .output(zStopped)
    .mutation(async ({ ctx, input }) => {
      const { row } = await loadConversation(ctx.db, input.conversationId, ctx.viewer.user.id, "maintainer");
      return stopReplies(ctx, row);
    }),

  addAgents: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: `${path}/agents`,
        tags,
        summary: "Add agents of the conversation's project; they answer from the next message on",
      },
    })
    .input(zConversationAgentsInput)
    .output(zConversation)
    .mutation(async ({ ctx, input: { conversationId, agentIds } }) => {
      const userId = ctx.viewer.user.id;
      const { row } = await loadConversation(ctx.db, conversationId, userId, "maintainer");
      return addConversationAgents(ctx.db, row, userId, agentIds);
    }),

  removeAgent: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "DELETE",
        path: `${path}/agents/{agentId}`,
        tags,
        summary: "Take an agent out of the conversation; it answers no more messages there",
      },
    })
    .input(zConversationAgentRef)
    .output(zConversation)
    .mutation(async ({ ctx, input: { conversationId, agentId } }) => {
      const { row } = await loadConversation(ctx.db, conversationId, ctx.viewer.user.id, "maintainer");
      return removeConversationAgent(ctx.db, row, agentId);
    }),

  delete: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: { method: "DELETE", path, tags, summary: "Delete a conversation and its messages" },
    })
    .input(zConversationRef)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      const { row } = await loadConversation(ctx.db, input.conversationId, ctx.viewer.user.id, "maintainer");
      await deleteConversation(ctx, row);
      return OK;
    }),

  pause: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: { method: "POST", path: `${path}/pause`, tags, summary: "Pause all agent activity in it" },
    })
    .input(zConversationRef)
    .output(zConversation)
    .mutation(async ({ ctx, input }) => {
      const { row } = await loadConversation(ctx.db, input.conversationId, ctx.viewer.user.id, "maintainer");
      return setConversationPaused(ctx, row, true);
    }),

  resume: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: { method: "POST", path: `${path}/resume`, tags, summary: "Let its agents answer again" },
    })
    .input(zConversationRef)
    .output(zConversation)
    .mutation(async ({ ctx, input }) => {
      const { row } = await loadConversation(ctx.db, input.conversationId, ctx.viewer.user.id, "maintainer");
      return setConversationPaused(ctx, row, false);
    }),

  typing: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: `${path}/typing`,
        tags,
        summary: "Show the others in the conversation that you are typing, or stopped",
      },
    })
    .input(zTypingInput)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      // Read access is enough: a typing indicator changes nothing that is stored.
      const { row } = await loadConversation(ctx.db, input.conversationId, ctx.viewer.user.id, "viewer");
      await publishTyping(ctx, row, ctx.viewer.user.id, input.isTyping);
      return OK;
    }),

  forTask: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/tasks/{taskId}/conversation",
        tags,
        summary: "Every message about a task, from all its conversations, in time order",
      },
    })
    .input(zTaskRef)
    .output(zTaskConversation)
    .query(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "viewer");
      return getTaskConversation(ctx.db, row);
    }),

  messages: messagesRouter,
  project: projectRouter,
});
