import { AGENT_ROLES, RUN_LOG_LEVELS, RUN_STATUSES, RUN_STEP_STATUSES } from "@crewdeck/domain";
import { z } from "zod";
import { zId, zIsoDate } from "../../lib/schemas";
import { zTaskDetail, zTaskResult, zTaskStatus } from "../tasks/types";

const zRunStatus = z.enum(RUN_STATUSES);
const zAgentRef = z.object({ id: z.string(), name: z.string(), role: z.enum(AGENT_ROLES) });

export const zStartRunBody = z.object({
  instructions: z.string().trim().max(20_000).optional(),
  attachmentIds: z.array(zId).max(20).optional(),
  pipeline: z.array(zId).min(1).max(20).optional(),
});

export const zRunSummary = z.object({
  id: z.string(),
  status: zRunStatus,
  pipeline: z.array(z.string()),
  totalSteps: z.number().int(),
  currentStep: z.number().int(),
});

export const zStartRunResult = z.object({ task: zTaskDetail, run: zRunSummary });
export const zCancelRunResult = zStartRunResult.extend({ abortedCalls: z.number().int() });

const zProgress = z.object({ completed: z.number().int(), total: z.number().int(), percentage: z.number() });

export const zTaskRunStatus = z.object({
  taskId: z.string(),
  status: zTaskStatus,
  runStatus: zRunStatus.nullable(),
  progress: zProgress,
  currentAgent: zAgentRef.nullable(),
  isComplete: z.boolean(),
  isFailed: z.boolean(),
  lastUpdate: zIsoDate,
});

const zStep = z.object({
  index: z.number().int(),
  agent: z.object({ id: z.string().nullable(), name: z.string(), role: z.enum(AGENT_ROLES) }),
  role: z.enum(AGENT_ROLES),
  status: z.enum(RUN_STEP_STATUSES),
  startedAt: zIsoDate.nullable(),
  completedAt: zIsoDate.nullable(),
  output: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  metrics: z.object({
    durationMs: z.number().int().nullable(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: z.number(),
  }),
});

export const zOrchestration = z.object({
  taskId: z.string(),
  run: z
    .object({
      id: z.string(),
      taskId: z.string(),
      status: zRunStatus,
      pipeline: z.array(z.string()),
      totalSteps: z.number().int(),
      currentStep: z.number().int(),
      instructions: z.string().nullable(),
      error: z.string().nullable(),
      reason: z.string().nullable(),
      startedAt: zIsoDate.nullable(),
      completedAt: zIsoDate.nullable(),
      createdAt: zIsoDate,
    })
    .nullable(),
  steps: z.array(zStep),
  logs: z.array(
    z.object({
      id: z.string(),
      level: z.enum(RUN_LOG_LEVELS),
      message: z.string(),
      createdAt: zIsoDate,
    }),
  ),
});

export const zTaskRuns = z.object({
  taskId: z.string(),
  items: z
    .array(
      z.object({
        id: z.string(),
        status: zRunStatus,
        isRevision: z.boolean().describe("Started after a person rejected the crew's pull request"),
        instructions: z.string().nullable(),
        startedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
        pipeline: z.array(z.string()),
        totalSteps: z.number().int(),
        completedSteps: z.number().int(),
        totals: z.object({
          tokensIn: z.number().int(),
          tokensOut: z.number().int(),
          totalTokens: z.number().int(),
          costUsd: z.number(),
          durationMs: z.number().int().nullable(),
        }),
        result: zTaskResult.nullable(),
        error: z.string().nullable(),
        reason: z.string().nullable(),
        createdAt: zIsoDate,
        startedAt: zIsoDate.nullable(),
        completedAt: zIsoDate.nullable(),
      }),
    )
    .describe("Every run of the task, newest first"),
});
