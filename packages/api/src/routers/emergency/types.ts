import { z } from "zod";
import { zId, zIsoDate } from "../../lib/schemas";

export const zPauseAllInput = z.object({
  projectId: zId.optional(),
  reason: z.string().trim().max(500).optional(),
});

export const zPauseAllResult = z.object({
  pausedAgents: z.number().int(),
  activeConversations: z.number().int(),
  abortedCalls: z.number().int(),
  pausedRuns: z.number().int(),
  message: z.string(),
});

export const zResumeAllInput = z.object({ projectId: zId.optional() });

export const zResumeAllResult = z.object({
  resumedAgents: z.number().int(),
  resumedRuns: z.number().int(),
  message: z.string(),
});

export const zEmergencyStatusInput = z.object({});

export const zEmergencyStatus = z.object({
  active: z.boolean(),
  stops: z.array(
    z.object({
      id: z.string(),
      projectId: z.string().nullable(),
      projectName: z.string().nullable(),
      reason: z.string(),
      triggeredBy: z.object({ id: z.string(), name: z.string() }).nullable(),
      createdAt: zIsoDate,
    }),
  ),
  pausedAgents: z.number().int(),
  runningCalls: z.number().int(),
});
