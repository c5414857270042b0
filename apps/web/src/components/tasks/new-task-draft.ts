// What the new-task form holds, and the create input it becomes, checked by the server's own schema.
import { zCreateTaskInput } from "@crewdeck/api/schemas";
import { checkInput, type FieldOf } from "../../lib/schema-form";
import type { RouterInputs } from "../../lib/trpc";
import type { TaskComplexity, TaskPriority, TaskType } from "./task-options";

export type Draft = {
  title: string;
  description: string;
  /** "" for the person's own task outside any project. */
  projectId: string;
  type: TaskType;
  priority: TaskPriority;
  complexity: TaskComplexity;
  /** "" for nobody; only meaningful with a project (agents belong to one). */
  agentId: string;
};

/** The input fields that have an input of their own, where their errors are shown. */
export const DRAFT_FIELDS = ["title", "description", "projectId", "type", "priority", "complexity"];

export const emptyDraft = (projectId: string): Draft => ({
  title: "",
  description: "",
  projectId,
  type: "feature",
  priority: "medium",
  complexity: "moderate",
  agentId: "",
});

export function toCreateInput(draft: Draft): RouterInputs["tasks"]["create"] {
  const description = draft.description.trim();
  return {
    title: draft.title.trim(),
    type: draft.type,
    priority: draft.priority,
    complexity: draft.complexity,
    ...(description && { description }),
    ...(draft.projectId && { projectId: draft.projectId }),
    ...(draft.projectId && draft.agentId && { assignedToAgentId: draft.agentId }),
  };
}

/** The draft as the create input, checked by the server's schema (errors name the API's fields). */
export const checkDraft = (draft: Draft) => checkInput(zCreateTaskInput, toCreateInput(draft));

/** Where an error about an API field is shown: its input, or (null) the form's alert. */
export const draftField: FieldOf<Draft> = (field) =>
  field === "assignedToAgentId"
    ? "agentId"
    : ((DRAFT_FIELDS.find((name) => name === field) as keyof Draft | undefined) ?? null);
