// The task as every task endpoint shows it; the detail view adds its related records to this.
import type { schema } from "@crewdeck/db";
import { iso, isoOrNull } from "../../lib/schemas";
import type { TaskUsage } from "./usage";

export type TaskRow = typeof schema.tasks.$inferSelect;

export const toTaskDto = (t: TaskRow, usage: TaskUsage) => ({
  id: t.id,
  projectId: t.projectId,
  createdById: t.createdById,
  title: t.title,
  description: t.description,
  prompt: t.prompt,
  type: t.type,
  priority: t.priority,
  complexity: t.complexity,
  status: t.status,
  repositoryId: t.repositoryId,
  branch: t.branch,
  targetBranch: t.targetBranch,
  issueId: t.issueId,
  assignedToAgentId: t.assignedToAgentId,
  definitionOfDone: t.definitionOfDone,
  conversationId: t.conversationId,
  usage,
  completedAt: isoOrNull(t.completedAt),
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
});
