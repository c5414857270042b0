// Usage and spend reports (§2.9): what the caller may see (a member their projects, an administrator the
// site), in their time zone, every bucket present. The CSV export is a raw route over the same services.

import { z } from "zod";
import { toBudgetViewer } from "../../services/budgets/limit-access";
import {
  agentAnalytics,
  projectUsage,
  realtimeUsage,
  spendByAgent,
  spendByProject,
  spendTimeline,
  taskUsage,
  usageAnalytics,
} from "../../services/usage/reports";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import {
  zAgentAnalytics,
  zAnalyticsInput,
  zProjectUsage,
  zProjectUsageInput,
  zRangeInput,
  zRealtimeUsage,
  zSpendByAgent,
  zSpendByProject,
  zSpendTimeline,
  zTaskUsage,
  zTaskUsageInput,
  zTimelineInput,
  zUsageAnalytics,
} from "./types";

const tags = ["usage"];
const budgetTags = ["budgets"];

export const usageRouter = createTRPCRouter({
  analytics: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/usage/analytics",
        tags,
        summary: "Tokens and spend over a range, grouped by model, agent, project, person or time",
      },
    })
    .input(zAnalyticsInput)
    .output(zUsageAnalytics)
    .query(({ ctx, input }) =>
      usageAnalytics(ctx.db, toBudgetViewer(ctx.viewer.user), input, ctx.engine.now()),
    ),

  realtime: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/usage/realtime",
        tags,
        summary: "The last hour per minute, and the model calls running now",
      },
    })
    .input(z.void())
    .output(zRealtimeUsage)
    .query(({ ctx }) => realtimeUsage(ctx.db, toBudgetViewer(ctx.viewer.user), ctx.engine.now())),

  project: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/usage/projects/{projectId}",
        tags,
        summary: "A project's usage: by model, agent and person, per day, and its costliest tasks",
      },
    })
    .input(zProjectUsageInput)
    .output(zProjectUsage)
    .query(({ ctx, input: { projectId, ...range } }) =>
      projectUsage(ctx.db, toBudgetViewer(ctx.viewer.user), projectId, range, ctx.engine.now()),
    ),

  task: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/usage/tasks/{taskId}",
        tags,
        summary: "A task's usage: by agent, and every model call in order",
      },
    })
    .input(zTaskUsageInput)
    .output(zTaskUsage)
    .query(({ ctx, input }) => taskUsage(ctx.db, toBudgetViewer(ctx.viewer.user), input.taskId)),

  byProject: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: { method: "GET", path: "/budget/by-project", tags: budgetTags, summary: "Spend per project" },
    })
    .input(zRangeInput)
    .output(zSpendByProject)
    .query(({ ctx, input }) =>
      spendByProject(ctx.db, toBudgetViewer(ctx.viewer.user), input, ctx.engine.now()),
    ),

  byAgent: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: { method: "GET", path: "/budget/by-agent", tags: budgetTags, summary: "Spend per agent" },
    })
    .input(zRangeInput)
    .output(zSpendByAgent)
    .query(({ ctx, input }) =>
      spendByAgent(ctx.db, toBudgetViewer(ctx.viewer.user), input, ctx.engine.now()),
    ),

  timeline: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/budget/timeline",
        tags: budgetTags,
        summary: "Spend per day, week or month, every bucket present",
      },
    })
    .input(zTimelineInput)
    .output(zSpendTimeline)
    .query(({ ctx, input }) =>
      spendTimeline(ctx.db, toBudgetViewer(ctx.viewer.user), input, ctx.engine.now()),
    ),

  agents: authedProcedure
    .meta({
      projectKey: "narrowed",
      openapi: {
        method: "GET",
        path: "/analytics/agents",
        tags: ["analytics"],
        summary: "Per agent: messages, spend, average per message, tasks completed and success rate",
      },
    })
    .input(zRangeInput)
    .output(zAgentAnalytics)
    .query(({ ctx, input }) =>
      agentAnalytics(ctx.db, toBudgetViewer(ctx.viewer.user), input, ctx.engine.now()),
    ),
});
