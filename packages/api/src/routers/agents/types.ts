import { AGENT_ROLES, AGENT_STATUSES } from "@crewdeck/domain";
import { z } from "zod";
import { zBool, zIsoDate } from "../../lib/schemas";

export const zAgentRole = z.enum(AGENT_ROLES);

export const zModelConfig = z.object({
  model: z.string().min(1).max(100),
  temperature: z.number().min(0).max(2),
  maxTokens: z.number().int().min(100).max(128_000),
});

export const zAgent = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  role: zAgentRole,
  modelConfig: zModelConfig,
  systemPrompt: z.string().nullable(),
  defaultSystemPrompt: z.string(),
  rulesFilePath: z.string().nullable(),
  position: z.number().int(),
  isActive: z.boolean(),
  status: z.enum(AGENT_STATUSES),
  memoryResetAt: zIsoDate.nullable(),
  stats: z.object({
    messagesToday: z.number().int(),
    costTodayUsd: z.number(),
    tasksCompleted: z.number().int(),
  }),
  createdAt: zIsoDate,
  updatedAt: zIsoDate,
});

export const zAgentList = z.object({ items: z.array(zAgent) });

const zRulesFilePath = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "A path inside the repository");

/** The body of POST /projects/{projectId}/agents; PATCH takes any part of it. */
export const zAgentInput = z.object({
  name: z.string().trim().min(1).max(100),
  role: zAgentRole,
  modelConfig: zModelConfig,
  systemPrompt: z.string().max(20_000).nullable().optional(),
  rulesFilePath: zRulesFilePath.nullable().optional(),
});

export const zAgentRef = z.object({ agentId: z.string().min(1) });

export const zUpdateAgentInput = zAgentRef.extend({
  ...zAgentInput.partial().shape,
  modelConfig: zModelConfig.partial().optional(),
  isActive: zBool.optional(),
});

export const zCrewTemplateList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      description: z.string(),
      roles: z.array(zAgentRole),
      agents: z.array(z.object({ role: zAgentRole, name: z.string() })),
    }),
  ),
});

export const zAddTemplateInput = z.object({ templateId: z.string().min(1).max(50) });
