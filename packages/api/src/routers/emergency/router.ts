// Emergency stop (§2.10): pause every agent in reach and abort their model calls at once; resume; status.
import { emergencyStatus, pauseAll, resumeAll } from "@crewdeck/engine";
import { z } from "zod";
import { zId, zIsoDate } from "../../lib/schemas";
import { emergencyScopeFor, emergencyViewFor } from "../../services/emergency/emergency-scope";
import { authedProcedure, createTRPCRouter } from "../../trpc";

const tags = ["emergency"];

const zPauseBody = z.object({
  projectId: zId.optional(),
  reason: z.string().trim().max(500).optional(),
});

export const emergencyRouter = createTRPCRouter({
  pauseAll: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/emergency/pause-all",
        tags,
        summary:
          "Pause every agent and abort running model calls: site-wide for an admin, or a project owner's projects (`projectId` for one)",
      },
    })
    .input(zPauseBody)
    .output(
      z.object({
        pausedAgents: z.number().int(),
        activeConversations: z.number().int(),
        abortedCalls: z.number().int(),
        pausedRuns: z.number().int(),
        message: z.string(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      pauseAll(ctx.engine, await emergencyScopeFor(ctx, input.projectId), {
        userId: ctx.viewer.user.id,
        reason: input.reason ?? `Emergency stop by ${ctx.viewer.user.name}`,
      }),
    ),

  resumeAll: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/emergency/resume-all",
        tags,
        summary: "Lift the emergency stop: agents back to idle, paused runs go on",
      },
    })
    .input(z.object({ projectId: zId.optional() }))
    .output(z.object({ resumedAgents: z.number().int(), resumedRuns: z.number().int(), message: z.string() }))
    .mutation(async ({ ctx, input }) =>
      resumeAll(ctx.engine, await emergencyScopeFor(ctx, input.projectId), { userId: ctx.viewer.user.id }),
    ),

  status: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/emergency/status",
        tags,
        summary: "Emergency stops in force over what you can see, paused agents and running model calls",
      },
    })
    .input(z.object({}))
    .output(
      z.object({
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
      }),
    )
    .query(async ({ ctx }) => emergencyStatus(ctx.engine, await emergencyViewFor(ctx))),
});
