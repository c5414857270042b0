// Who sees the events about a conversation, a task or a project (see `EventScope`): a project's members,
// or, for things outside any project, the person who created them.
import type { EventScope } from "./types";

export const conversationScope = (conversation: {
  id: string;
  projectId: string | null;
  createdById: string | null;
  taskId?: string | null;
}): EventScope => ({
  projectId: conversation.projectId,
  userId: conversation.projectId ? null : conversation.createdById,
  conversationId: conversation.id,
  taskId: conversation.taskId ?? null,
});

export const taskScope = (task: {
  id: string;
  projectId: string | null;
  createdById: string | null;
  conversationId?: string | null;
}): EventScope => ({
  projectId: task.projectId,
  userId: task.projectId ? null : task.createdById,
  taskId: task.id,
  conversationId: task.conversationId ?? null,
});
