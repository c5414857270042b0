// Running a task through its crew (§2.7): start, status, orchestration, cancel. The multipart twin of
// start (instructions + image) is a raw route in apps/server that calls the same service.
import { limitTaskStarts } from "../../lib/rate-limits";
import { actorOf } from "../../lib/viewer";
import { loadTask } from "../../services/access/scoped-resources";
import { listTaskRuns } from "../../services/runs/history";
import { cancelTaskRun, startTaskRun, taskOrchestration, taskRunStatus } from "../../services/runs/runs";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import { zTaskRef } from "../tasks/types";
import {
  zCancelRunResult,
  zOrchestration,
  zStartRunBody,
  zStartRunResult,
  zTaskRunStatus,
  zTaskRuns,
} from "./types";

const tags = ["runs"];
const path = "/tasks/{taskId}";

export const runsRouter = createTRPCRouter({
  start: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: `${path}/start`,
        tags,
        summary:
          "Start the task's run through its project's pipeline (or the agents named in `pipeline`); 409 AGENT_BUSY while one is active",
      },
    })
    .input(zTaskRef.extend(zStartRunBody.shape))
    .output(zStartRunResult)
    .mutation(async ({ ctx, input: { taskId, ...start } }) => {
      const { row } = await loadTask(ctx.db, taskId, ctx.viewer.user.id, "maintainer");
      await limitTaskStarts(ctx);
      return startTaskRun(ctx, actorOf(ctx.viewer), row, start);
    }),

  status: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: `${path}/status`,
        tags,
        summary: "The task's run status, light enough to poll",
      },
    })
    .input(zTaskRef)
    .output(zTaskRunStatus)
    .query(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "viewer");
      return taskRunStatus(ctx.db, row);
    }),

  orchestration: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: `${path}/orchestration`,
        tags,
        summary: "The task's latest run: each step's agent, status, output and metrics, and the run's log",
      },
    })
    .input(zTaskRef)
    .output(zOrchestration)
    .query(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "viewer");
      return taskOrchestration(ctx.db, row);
    }),

  history: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: `${path}/runs`,
        tags,
        summary:
          "All the task's runs, newest first: status, times, who started it, totals, result, revision or not",
      },
    })
    .input(zTaskRef)
    .output(zTaskRuns)
    .query(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "viewer");
      return listTaskRuns(ctx.db, row);
    }),

  cancel: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "POST",
        path: `${path}/cancel`,
        tags,
        summary: "Cancel the active run; its model call is aborted at once",
      },
    })
    .input(zTaskRef)
    .output(zCancelRunResult)
    .mutation(async ({ ctx, input }) => {
      const { row } = await loadTask(ctx.db, input.taskId, ctx.viewer.user.id, "maintainer");
      return cancelTaskRun(ctx, actorOf(ctx.viewer), row);
    }),
});
