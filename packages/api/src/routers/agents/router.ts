import { schema } from "@crewdeck/db";
import { z } from "zod";
import { OK, zBool, zIsoDate, zOk } from "../../lib/schemas";
import {
  createAgent,
  deleteAgent,
  getAgent,
  listAgents,
  resetAgentMemory,
  setAgentPaused,
  updateAgent,
} from "../../services/agents/agents";
import { createTRPCRouter, projectProcedure } from "../../trpc";

const tags = ["agents"];

const zModelConfig = z.object({
  model: z.string().min(1).max(100),
  temperature: z.number().min(0).max(2),
  maxTokens: z.number().int().min(100).max(128_000),
});

const zAgent = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  role: z.enum(schema.AGENT_ROLES),
  modelConfig: zModelConfig,
  systemPrompt: z.string().nullable(),
  defaultSystemPrompt: z.string(),
  rulesFilePath: z.string().nullable(),
  position: z.number().int(),
  isActive: z.boolean(),
  status: z.enum(schema.AGENT_STATUSES),
  memoryResetAt: zIsoDate.nullable(),
  stats: z.object({
    messagesToday: z.number().int(),
    costTodayUsd: z.number(),
    tasksCompleted: z.number().int(),
  }),
  createdAt: zIsoDate,
  updatedAt: zIsoDate,
});

const zRulesFilePath = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), "A path inside the repository");

const zAgentInput = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(schema.AGENT_ROLES),
  modelConfig: zModelConfig,
  systemPrompt: z.string().max(20_000).nullable().optional(),
  rulesFilePath: zRulesFilePath.nullable().optional(),
});

const zAgentRef = z.object({ agentId: z.string().min(1) });
const path = "/projects/{projectId}/agents/{agentId}";

export const agentsRouter = createTRPCRouter({
  list: projectProcedure("viewer")
    .meta({
      openapi: { method: "GET", path: "/projects/{projectId}/agents", tags, summary: "The project's crew" },
    })
    .output(z.object({ items: z.array(zAgent) }))
    .query(({ ctx }) => listAgents(ctx, ctx.project.id)),

  create: projectProcedure("maintainer")
    .meta({
      openapi: { method: "POST", path: "/projects/{projectId}/agents", tags, summary: "Add an agent" },
    })
    .input(zAgentInput)
    .output(zAgent)
    .mutation(({ ctx, input: { projectId: _, ...agent } }) => createAgent(ctx, ctx.project.id, agent)),

  get: projectProcedure("viewer")
    .meta({ openapi: { method: "GET", path, tags, summary: "An agent" } })
    .input(zAgentRef)
    .output(zAgent)
    .query(({ ctx, input }) => getAgent(ctx, ctx.project.id, input.agentId)),

  update: projectProcedure("maintainer")
    .meta({ openapi: { method: "PATCH", path, tags, summary: "Update an agent" } })
    .input(
      zAgentRef.extend({
        ...zAgentInput.partial().shape,
        modelConfig: zModelConfig.partial().optional(),
        isActive: zBool.optional(),
      }),
    )
    .output(zAgent)
    .mutation(({ ctx, input: { projectId: _, agentId, modelConfig, ...changes } }) =>
      updateAgent(ctx, ctx.project.id, agentId, {
        ...changes,
        ...(modelConfig && { modelConfig: modelConfig as z.infer<typeof zModelConfig> }),
      }),
    ),

  delete: projectProcedure("maintainer")
    .meta({ openapi: { method: "DELETE", path, tags, summary: "Remove an agent" } })
    .input(zAgentRef)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      await deleteAgent(ctx, ctx.project.id, input.agentId);
      return OK;
    }),

  reset: projectProcedure("maintainer")
    .meta({ openapi: { method: "POST", path: `${path}/reset`, tags, summary: "Clear the agent's memory" } })
    .input(zAgentRef)
    .output(zAgent)
    .mutation(({ ctx, input }) => resetAgentMemory(ctx, ctx.project.id, input.agentId)),

  pause: projectProcedure("maintainer")
    .meta({ openapi: { method: "POST", path: `${path}/pause`, tags, summary: "Stop the agent taking work" } })
    .input(zAgentRef)
    .output(zAgent)
    .mutation(({ ctx, input }) => setAgentPaused(ctx, ctx.project.id, input.agentId, true)),

  resume: projectProcedure("maintainer")
    .meta({
      openapi: { method: "POST", path: `${path}/resume`, tags, summary: "Let the agent take work again" },
    })
    .input(zAgentRef)
    .output(zAgent)
    .mutation(({ ctx, input }) => setAgentPaused(ctx, ctx.project.id, input.agentId, false)),
});
