import {
  AGENT_ROLES,
  CHECKS_STATUSES,
  PULL_REQUEST_STATES,
  RUN_STATUSES,
  TASK_STATUSES,
} from "@crewdeck/domain";
import { z } from "zod";
import { zId, zIsoDate, zPage, zPageInput } from "../../lib/schemas";

export const zPullRequestListInput = zPageInput.extend({
  state: z.enum([...PULL_REQUEST_STATES, "all"]).default("open"),
});

const zTaskRef = z.object({ id: z.string(), title: z.string(), status: z.enum(TASK_STATUSES) });

export const zPullRequest = z.object({
  id: z.string(),
  projectId: z.string(),
  repository: z.object({ id: z.string(), fullName: z.string() }),
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullable(),
  branch: z.object({ head: z.string(), base: z.string() }),
  state: z.enum(PULL_REQUEST_STATES),
  /** Null until checks were read (a synced pull request that is closed). */
  checksStatus: z.enum(CHECKS_STATUSES).nullable(),
  /** Null while GitHub is still working it out. */
  mergeable: z.boolean().nullable(),
  htmlUrl: z.string(),
  /** GitHub login of the author. */
  author: z.string().nullable(),
  authoringAgent: z.object({ id: z.string(), name: z.string(), role: z.enum(AGENT_ROLES) }).nullable(),
  task: zTaskRef.nullable(),
  runId: z.string().nullable(),
  githubCreatedAt: zIsoDate.nullable(),
  mergedAt: zIsoDate.nullable(),
  closedAt: zIsoDate.nullable(),
  createdAt: zIsoDate,
  updatedAt: zIsoDate,
});
export const zPullRequestPage = zPage(zPullRequest);

export const zPullRequestRef = z.object({ pullRequestId: zId });

export const zApproveResult = z.object({
  pullRequest: zPullRequest,
  task: zTaskRef.nullable(),
  /** Whether the linked task is now completed (it moves only from review, as a person's move would). */
  taskCompleted: z.boolean(),
});

export const zRejectBody = z.object({ feedback: z.string().trim().min(1).max(20_000) });

export const zRejectResult = z.object({
  pullRequest: zPullRequest,
  comment: z.object({ id: z.number().int(), htmlUrl: z.string() }),
  task: zTaskRef.nullable(),
  /** The message in the task's conversation that carries the feedback to the authoring agent. */
  feedbackMessageId: z.string().nullable(),
  /** The run that revises the branch with the feedback; null when none started (see `revisionNotStarted`). */
  revisionRun: z.object({ id: z.string(), status: z.enum(RUN_STATUSES) }).nullable(),
  /**
   * Why no revision run started: `NOT_AGENT_PULL_REQUEST` (no linked task), `PULL_REQUEST_NOT_OPEN`, or the
   * start's refusal (`AGENT_BUSY` when a run began meanwhile, `VALIDATION_ERROR` without a developer,
   * `BUDGET_EXCEEDED`, `CONFLICT`…). The feedback is still commented and recorded for the next run.
   */
  revisionNotStarted: z.object({ code: z.string(), message: z.string() }).nullable(),
});
