import { isTimeZone, TASK_STATUSES, USAGE_GRANULARITIES, USAGE_GROUP_BYS } from "@crewdeck/domain";
import { z } from "zod";
import { zId, zIsoDate } from "../../lib/schemas";

// Inputs ----------------------------------------------------------------------------------------------

const zLocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "A date as YYYY-MM-DD")
  .meta({ description: "A date in `tz`, as YYYY-MM-DD (included)" });

export const zTimeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, "An IANA time zone such as Europe/Berlin or UTC")
  .default("UTC")
  .meta({ description: "IANA time zone the days, weeks and months are read in (default UTC)" });

export const zGranularity = z.enum(USAGE_GRANULARITIES);

/** A range: the last `timeRange` days up to today, or `startDate`–`endDate` when given. */
export const zRangeInput = z.object({
  timeRange: z.coerce
    .number()
    .int()
    .min(1)
    .max(366)
    .default(30)
    .meta({ description: "Days up to and including today (ignored when startDate and endDate are given)" }),
  startDate: zLocalDate.optional(),
  endDate: zLocalDate.optional(),
  tz: zTimeZone,
});

export const zAnalyticsInput = zRangeInput.extend({
  groupBy: z.enum(USAGE_GROUP_BYS).default("model"),
  granularity: zGranularity.default("day").meta({
    description: "Bucket size of the series when grouping by model, agent, project or user",
  }),
});

export const zProjectUsageInput = zAnalyticsInput.extend({ projectId: zId });
export const zTaskUsageInput = z.object({ taskId: zId });
export const zTimelineInput = zRangeInput.extend({ granularity: zGranularity.default("day") });

// Outputs ---------------------------------------------------------------------------------------------

const zFigures = {
  calls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  totalTokens: z.number().int().meta({ description: "Input, output and cache tokens" }),
  totalCostUsd: z.number(),
};

export const zUsageFigures = z.object(zFigures);

export const zUsageRange = z.object({
  startDate: z.string(),
  endDate: z.string(),
  start: zIsoDate,
  end: zIsoDate.meta({ description: "Exclusive: the midnight after endDate in tz" }),
  tz: z.string(),
  granularity: zGranularity,
});

export const zUsageGroup = z.object({
  id: z
    .string()
    .meta({ description: "Model, agent, project or user id ('' for none), or the bucket's date" }),
  name: z.string(),
  ...zFigures,
});

export const zUsageBucket = z.object({
  date: z.string().meta({ description: "The day, the week's Monday or the month's first, in tz" }),
  start: zIsoDate,
  end: zIsoDate,
  ...zFigures,
});

export const zUsageAnalytics = z.object({
  range: zUsageRange,
  groupBy: z.enum(USAGE_GROUP_BYS),
  summary: zUsageFigures,
  groups: z.array(zUsageGroup),
  buckets: z.array(
    zUsageBucket.extend({
      groups: z.array(z.object({ id: z.string(), ...zFigures })).meta({
        description: "The bucket's figures per group (empty when grouping by time)",
      }),
    }),
  ),
});

export const zRealtimeUsage = z.object({
  start: zIsoDate,
  end: zIsoDate,
  summary: zUsageFigures,
  minutes: z.array(z.object({ start: zIsoDate, ...zFigures })),
  running: z.array(
    z.object({
      callId: z.string(),
      startedAt: zIsoDate,
      provider: z.string(),
      model: z.string(),
      projectId: z.string().nullable(),
      projectName: z.string().nullable(),
      taskId: z.string().nullable(),
      runId: z.string().nullable(),
      conversationId: z.string().nullable(),
      agentId: z.string().nullable(),
      agentName: z.string().nullable(),
      estimatedCostUsd: z.number().meta({ description: "The reservation's worst case until the call ends" }),
    }),
  ),
});

export const zProjectUsage = z.object({
  project: z.object({
    id: z.string(),
    name: z.string(),
    totalTokens: z.number().meta({ description: "All time" }),
    totalCostUsd: z.number().meta({ description: "All time" }),
  }),
  range: zUsageRange,
  summary: zUsageFigures,
  byModel: z.array(zUsageGroup),
  byAgent: z.array(zUsageGroup),
  byUser: z.array(zUsageGroup),
  dailyTrends: z.array(zUsageBucket),
  topTasks: z.array(
    z.object({
      taskId: z.string(),
      title: z.string(),
      status: z.enum(TASK_STATUSES),
      calls: z.number().int(),
      totalTokens: z.number().int(),
      totalCostUsd: z.number(),
    }),
  ),
});

export const zTaskUsage = z.object({
  task: z.object({ id: z.string(), title: z.string(), projectId: z.string().nullable() }),
  summary: zUsageFigures.extend({ agentsExecuted: z.number().int() }),
  byAgent: z.array(
    z.object({
      agentId: z.string().nullable(),
      agentName: z.string(),
      model: z.string(),
      executions: z.number().int(),
      ...zFigures,
    }),
  ),
  timeline: z.array(
    z.object({
      callId: z.string(),
      at: zIsoDate,
      runId: z.string().nullable(),
      agentId: z.string().nullable(),
      agentName: z.string(),
      provider: z.string(),
      model: z.string(),
      inputTokens: z.number().int(),
      outputTokens: z.number().int(),
      cacheReadTokens: z.number().int(),
      cacheWriteTokens: z.number().int(),
      totalTokens: z.number().int(),
      costUsd: z.number(),
      durationMs: z.number().int().nullable(),
      outcome: z.string(),
      status: z.string(),
    }),
  ),
  timelineTruncated: z.boolean(),
});

export const zSpendByProject = z.object({
  range: zUsageRange,
  summary: zUsageFigures,
  items: z.array(z.object({ projectId: z.string().nullable(), projectName: z.string(), ...zFigures })),
});

export const zSpendByAgent = z.object({
  range: zUsageRange,
  summary: zUsageFigures,
  items: z.array(
    z.object({
      agentId: z.string().nullable(),
      agentName: z.string(),
      projectId: z.string().nullable(),
      projectName: z.string().nullable(),
      ...zFigures,
    }),
  ),
});

export const zSpendTimeline = z.object({
  range: zUsageRange,
  summary: zUsageFigures,
  buckets: z.array(zUsageBucket.extend({ spentUsd: z.number() })),
});

export const zAgentAnalytics = z.object({
  range: zUsageRange,
  agents: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      role: z.string(),
      projectId: z.string(),
      projectName: z.string(),
      metrics: z.object({
        totalMessages: z.number().int(),
        totalCostUsd: z.number(),
        avgCostPerMessageUsd: z.number(),
        tasksCompleted: z.number().int(),
        runsEnded: z.number().int().meta({ description: "Runs it took part in that completed or failed" }),
        successRate: z
          .number()
          .nullable()
          .meta({ description: "Completed runs over ended runs (0–1), null before any ended" }),
      }),
    }),
  ),
});
