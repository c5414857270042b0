// Emergency stop (§2.10): pause every agent in reach and abort their model calls at once; resume; status.
import { emergencyStatus, pauseAll, resumeAll } from "@crewdeck/engine";
import { actorOf } from "../../lib/viewer";
import { emergencyScopeFor, emergencyViewFor } from "../../services/emergency/emergency-scope";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import {
  zEmergencyStatus,
  zEmergencyStatusInput,
  zPauseAllInput,
  zPauseAllResult,
  zResumeAllInput,
  zResumeAllResult,
} from "./types";

const tags = ["emergency"];

export const emergencyRouter = createTRPCRouter({
  pauseAll: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: "/emergency/pause-all",
        tags,
        summary:
          "Pause every agent and abort running model calls: site-wide for an admin, or a project owner's projects (`projectId` for one)",
      },
    })
    .input(zPauseAllInput)
    .output(zPauseAllResult)
    .mutation(async ({ ctx, input }) =>
      pauseAll(ctx.engine, await emergencyScopeFor(ctx.db, actorOf(ctx.viewer), input.projectId), {
        userId: ctx.viewer.user.id,
        reason: input.reason ?? `Emergency stop by ${ctx.viewer.user.name}`,
      }),
    ),

  resumeAll: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: "/emergency/resume-all",
        tags,
        summary: "Lift the emergency stop: agents back to idle, paused runs go on",
      },
    })
    .input(zResumeAllInput)
    .output(zResumeAllResult)
    .mutation(async ({ ctx, input }) =>
      resumeAll(ctx.engine, await emergencyScopeFor(ctx.db, actorOf(ctx.viewer), input.projectId), {
        userId: ctx.viewer.user.id,
      }),
    ),

  status: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/emergency/status",
        tags,
        summary: "Emergency stops in force over what you can see, paused agents and running model calls",
      },
    })
    .input(zEmergencyStatusInput)
    .output(zEmergencyStatus)
    .query(async ({ ctx }) =>
      emergencyStatus(ctx.engine, await emergencyViewFor(ctx.db, actorOf(ctx.viewer))),
    ),
});
