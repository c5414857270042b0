import { z } from "zod";
import { OK, zOk } from "../../lib/schemas";
import {
  createAgent,
  deleteAgent,
  getAgent,
  listAgents,
  resetAgentMemory,
  setAgentPaused,
  updateAgent,
} from "../../services/agents/agents";
import { addCrewTemplate, listCrewTemplates } from "../../services/agents/templates";
import { authedProcedure, createTRPCRouter, projectProcedure } from "../../trpc";
import {
  zAddTemplateInput,
  zAgent,
  zAgentInput,
  zAgentList,
  zAgentRef,
  zCrewTemplateList,
  type zModelConfig,
  zUpdateAgentInput,
} from "./types";

const tags = ["agents"];

const path = "/projects/{projectId}/agents/{agentId}";

export const agentsRouter = createTRPCRouter({
  list: projectProcedure("viewer")
    .meta({
      openapi: { method: "GET", path: "/projects/{projectId}/agents", tags, summary: "The project's crew" },
    })
    .output(zAgentList)
    .query(({ ctx }) => listAgents(ctx, ctx.project.id)),

  create: projectProcedure("maintainer")
    .meta({
      openapi: { method: "POST", path: "/projects/{projectId}/agents", tags, summary: "Add an agent" },
    })
    .input(zAgentInput)
    .output(zAgent)
    .mutation(({ ctx, input: { projectId: _, ...agent } }) => createAgent(ctx, ctx.project.id, agent)),

  templates: authedProcedure
    .meta({
      projectKey: "allowed",
      openapi: {
        method: "GET",
        path: "/crew-templates",
        tags,
        summary: "Ready-made crews (sets of roles) that can be added to a project's crew",
      },
    })
    .input(z.object({}))
    .output(zCrewTemplateList)
    .query(() => listCrewTemplates()),

  addTemplate: projectProcedure("maintainer")
    .meta({
      openapi: {
        method: "POST",
        path: "/projects/{projectId}/agents/templates",
        tags,
        summary: "Add a crew template's agents to the project's crew (after those already in it)",
      },
    })
    .input(zAddTemplateInput)
    .output(zAgentList)
    .mutation(({ ctx, input }) => addCrewTemplate(ctx, ctx.project.id, input.templateId)),

  get: projectProcedure("viewer")
    .meta({ openapi: { method: "GET", path, tags, summary: "An agent" } })
    .input(zAgentRef)
    .output(zAgent)
    .query(({ ctx, input }) => getAgent(ctx, ctx.project.id, input.agentId)),

  update: projectProcedure("maintainer")
    .meta({ openapi: { method: "PATCH", path, tags, summary: "Update an agent" } })
    .input(zUpdateAgentInput)
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
