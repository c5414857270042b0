// Kinds and states of conversations and their messages.
export const CONVERSATION_TYPES = ["general", "issue", "task", "review"] as const;
export const CONVERSATION_STATUSES = ["active", "paused", "completed"] as const;
export const MESSAGE_AUTHOR_TYPES = ["user", "agent", "system"] as const;
export const MESSAGE_STATUSES = ["complete", "streaming", "error", "cancelled"] as const;

export type ConversationType = (typeof CONVERSATION_TYPES)[number];
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
export type MessageAuthorType = (typeof MESSAGE_AUTHOR_TYPES)[number];
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
