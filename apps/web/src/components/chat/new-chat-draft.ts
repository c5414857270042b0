// What the new-chat form holds, and the create input it becomes, checked by the server's own schema.
import { zCreateConversationInput } from "@crewdeck/api/schemas";
import { checkInput } from "../../lib/schema-form";
import type { RouterInputs } from "../../lib/trpc";

export type NewChatDraft = {
  title: string;
  /** "" for the person's own chat outside any project. */
  projectId: string;
  /** Agents of the chosen project who answer in the chat; only they answer, so none means nobody does. */
  agentIds: string[];
  firstMessage: string;
};

export const emptyNewChatDraft = (projectId: string): NewChatDraft => ({
  title: "",
  projectId,
  agentIds: [],
  firstMessage: "",
});

/** Another project has another crew: the agents picked for the old one cannot come along. */
export const withProject = (draft: NewChatDraft, projectId: string): NewChatDraft =>
  projectId === draft.projectId ? draft : { ...draft, projectId, agentIds: [] };

/** Adds or removes one agent, keeping the order they were picked in (the order they answer). */
export function withAgent(draft: NewChatDraft, agentId: string, included: boolean): NewChatDraft {
  const without = draft.agentIds.filter((id) => id !== agentId);
  return { ...draft, agentIds: included ? [...without, agentId] : without };
}

/** Where a field error from the server is shown: next to its input, or (null) in the form's alert. */
export function newChatErrorField(field: string): keyof NewChatDraft | null {
  if (field === "title" || field === "projectId") return field;
  if (field === "initialMessage") return "firstMessage";
  if (field === "agentIds" || field.startsWith("agentIds.")) return "agentIds";
  return null;
}

export function toCreateChatInput(draft: NewChatDraft): RouterInputs["conversations"]["create"] {
  // A blank first message is no message: the server refuses empty content.
  const initialMessage = draft.firstMessage.trim() ? draft.firstMessage : "";
  return {
    title: draft.title.trim(),
    ...(draft.projectId && { projectId: draft.projectId }),
    ...(draft.projectId && draft.agentIds.length > 0 && { agentIds: draft.agentIds }),
    ...(initialMessage && { initialMessage }),
  };
}

/** The draft as the create input, checked by the server's schema; place its errors with `newChatErrorField`. */
export const checkNewChat = (draft: NewChatDraft) =>
  checkInput(zCreateConversationInput, toCreateChatInput(draft));
