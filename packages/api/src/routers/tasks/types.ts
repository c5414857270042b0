import {
  AGENT_ROLES,
  CHECKS_STATUSES,
  ISSUE_STATES,
  PULL_REQUEST_STATES,
  TASK_COMPLEXITIES,
  TASK_PRIORITIES,
  TASK_RESULT_TYPES,
  TASK_STATUSES,
  TASK_TYPES,
} from "@crewdeck/domain";
import { z } from "zod";
import { zId, zIsoDate, zPage, zPageInput } from "../../lib/schemas";

export const zTaskStatus = z.enum(TASK_STATUSES);
export const zTaskType = z.enum(TASK_TYPES);
export const zTaskPriority = z.enum(TASK_PRIORITIES);
export const zTaskComplexity = z.enum(TASK_COMPLEXITIES);

const zTitle = z.string().trim().min(1).max(200);
const zLongText = z.string().max(20_000);
const zBranch = z.string().trim().min(1).max(255);

const zUsage = z.object({ totalTokens: z.number(), totalCostUsd: z.number() });

const zTask = z.object({
  id: z.string(),
  projectId: z.string().nullable(),
  createdById: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  prompt: z.string().nullable(),
  type: zTaskType,
  priority: zTaskPriority,
  complexity: zTaskComplexity,
  status: zTaskStatus,
  repositoryId: z.string().nullable(),
  branch: z.string().nullable(),
  targetBranch: z.string().nullable(),
  issueId: z.string().nullable(),
  assignedToAgentId: z.string().nullable(),
  definitionOfDone: z.string().nullable(),
  conversationId: z.string().nullable(),
  usage: zUsage,
  completedAt: zIsoDate.nullable(),
  createdAt: zIsoDate,
  updatedAt: zIsoDate,
});

export const zTaskListItem = zTask;

/** What a run produced: a pull request (run that changed code) or the final step's output. */
export const zTaskResult = z.object({
  type: z.enum(TASK_RESULT_TYPES),
  pullRequestId: z.string().optional(),
  pullRequestUrl: z.string().optional(),
  output: z.string().optional(),
});
export const zTaskPage = zPage(zTaskListItem);

export const zTaskDetail = zTask.extend({
  assignedAgent: z.object({ id: z.string(), name: z.string(), role: z.enum(AGENT_ROLES) }).nullable(),
  issue: z
    .object({
      id: z.string(),
      number: z.number().int(),
      title: z.string(),
      state: z.enum(ISSUE_STATES),
      htmlUrl: z.string(),
    })
    .nullable(),
  pullRequest: z
    .object({
      id: z.string(),
      number: z.number().int(),
      title: z.string(),
      state: z.enum(PULL_REQUEST_STATES),
      htmlUrl: z.string(),
      headBranch: z.string(),
      baseBranch: z.string(),
      checksStatus: z.enum(CHECKS_STATUSES).nullable(),
      mergeable: z.boolean().nullable().describe("GitHub's answer; null while GitHub is still computing it"),
    })
    .nullable(),
  progress: z.object({
    completed: z.number().int(),
    total: z.number().int(),
    percentage: z.number(),
  }),
  result: zTaskResult.nullable(),
  repositories: z.array(
    z.object({ id: z.string(), name: z.string(), fullName: z.string(), isActive: z.boolean() }),
  ),
});

/** Filters shared by GET /tasks and its project-scoped alias (which fixes `projectId`). */
export const zTaskFilters = zPageInput.extend({
  status: zTaskStatus.optional(),
  priority: zTaskPriority.optional(),
  type: zTaskType.optional(),
  complexity: zTaskComplexity.optional(),
  assignedTo: z
    .union([z.literal("mine"), z.literal("unassigned"), zId])
    .optional()
    .describe("An agent id, `mine` (tasks you created) or `unassigned` (no agent)"),
  issueId: zId.optional(),
  repositoryId: zId.optional(),
  search: z.string().trim().min(1).max(200).optional(),
});

export const zListTasksInput = zTaskFilters.extend({
  projectId: z
    .union([z.literal("unassigned"), zId])
    .optional()
    .describe("A project id, or `unassigned` for your tasks outside any project"),
});

/** The body of POST /projects/{projectId}/tasks; POST /tasks adds an optional `projectId`. */
export const zCreateTaskBody = z.object({
  title: zTitle,
  description: zLongText.optional(),
  prompt: zLongText.optional(),
  repositoryId: zId.optional(),
  branch: zBranch.optional(),
  targetBranch: zBranch.optional(),
  type: zTaskType.optional(),
  priority: zTaskPriority.optional(),
  complexity: zTaskComplexity.optional(),
  issueId: zId.optional(),
  assignedToAgentId: zId.optional(),
  definitionOfDone: zLongText.optional(),
  /** Seed 001's names for the three above (the contract's win when both are sent). */
  issue_id: zId.nullable().optional().describe("Seed 001's name for `issueId`"),
  assigned_to_agent_id: zId.nullable().optional().describe("Seed 001's name for `assignedToAgentId`"),
  definition_of_done: zLongText.optional().describe("Seed 001's name for `definitionOfDone`"),
});

export const zCreateTaskInput = zCreateTaskBody.extend({ projectId: zId.optional() });

export const zTaskRef = z.object({ taskId: zId });

/** Nullable fields may be cleared with `null`. */
export const zUpdateTaskInput = zTaskRef.extend({
  title: zTitle.optional(),
  description: zLongText.nullable().optional(),
  prompt: zLongText.nullable().optional(),
  type: zTaskType.optional(),
  priority: zTaskPriority.optional(),
  complexity: zTaskComplexity.optional(),
  branch: zBranch.nullable().optional(),
  targetBranch: zBranch.nullable().optional(),
  definitionOfDone: zLongText.nullable().optional(),
  repositoryId: zId.nullable().optional(),
  status: zTaskStatus.optional(),
  projectId: zId
    .optional()
    .describe(
      "Move the task into this project: you need the maintainer role there (403 below it, 404 for a project you are not in). The task's conversation moves with it; its repository, agent and issue of the old project are cleared unless given in the same request. Refused (409) while a run is active.",
    ),
});

export const zAssignBody = z.object({
  agentId: zId.nullable().describe("The agent to assign, or null to unassign"),
});

const zChangedFile = z.object({
  path: z.string(),
  oldPath: z.string().optional().describe("The path before a rename or copy"),
  status: z.enum(["added", "removed", "modified", "renamed", "copied", "changed", "unchanged"]),
  additions: z.number().int(),
  deletions: z.number().int(),
  patch: z
    .string()
    .optional()
    .describe("The file's unified-diff hunks; absent for binary files and diffs too large for GitHub"),
});

export const zTaskDiff = z.object({
  taskId: z.string(),
  repositories: z
    .array(
      z.object({
        repository: z.object({ id: z.string(), fullName: z.string() }),
        pullRequest: z.object({
          id: z.string(),
          number: z.number().int(),
          state: z.enum(PULL_REQUEST_STATES),
          htmlUrl: z.string(),
        }),
        base: z.string(),
        head: z.string(),
        aheadBy: z.number().int(),
        files: z.array(zChangedFile),
        truncated: z.boolean().describe("GitHub lists at most 300 files; more changed than are listed"),
        totals: z.object({
          files: z.number().int(),
          additions: z.number().int(),
          deletions: z.number().int(),
        }),
      }),
    )
    .describe("One entry per repository the task's runs opened a pull request in; empty before the first"),
});
