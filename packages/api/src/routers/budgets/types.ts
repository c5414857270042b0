import {
  BUDGET_ACTIONS,
  BUDGET_ALERT_LEVELS,
  BUDGET_PERIODS,
  BUDGET_SCOPE_TYPES,
  type BudgetScopeType,
} from "@crewdeck/domain";
import { z } from "zod";
import { zBool, zId, zIsoDate, zNumber, zPage, zPageInput } from "../../lib/schemas";

// The usual case first: documentation and generated clients show it as the example.
const zScopeType = z.enum(["project", "agent", "user", "global"] satisfies BudgetScopeType[]);
const zPeriod = z.enum(BUDGET_PERIODS);
const zAction = z.enum(BUDGET_ACTIONS);

const zName = z.string().trim().min(1).max(120);
/** Stored as whole micro-dollars; a billion dollars keeps every sum a safe integer. */
const zAmountUsd = zNumber(z.number().gt(0).max(1_000_000_000)).meta({
  description: "USD per period, a JSON number greater than 0",
});
const zAlertThreshold = zNumber(z.number().min(0).max(1)).meta({
  description: "Fraction of the amount (0–1) at which the warning alert goes out",
});
const zPercentage = z.number().meta({ description: "Spend as a percentage of the limit (0–100 and beyond)" });

export const zBudgetLimit = z.object({
  id: z.string(),
  name: z.string(),
  scopeType: z.enum(BUDGET_SCOPE_TYPES),
  scopeId: z.string().nullable(),
  scopeName: z.string(),
  amountUsd: z.number(),
  period: zPeriod,
  alertThreshold: z.number(),
  actionOnExceed: zAction,
  isActive: z.boolean(),
  spentUsd: z
    .number()
    .meta({ description: "Spent in the current period (calls still running not included)" }),
  percentage: zPercentage,
  periodStart: zIsoDate,
  createdAt: zIsoDate,
  updatedAt: zIsoDate,
});

export const zBudgetLimitPage = zPage(zBudgetLimit);
export const zListLimitsInput = zPageInput;

export const zCreateLimitInput = z.object({
  name: zName,
  scopeType: zScopeType,
  scopeId: zId.nullish().meta({ description: "The user, project or agent id; omitted for global limits" }),
  amountUsd: zAmountUsd,
  period: zPeriod,
  alertThreshold: zAlertThreshold.default(0.8),
  actionOnExceed: zAction.default("warn"),
});

export const zLimitIdInput = z.object({ limitId: zId });

export const zUpdateLimitInput = zLimitIdInput.extend({
  name: zName.optional(),
  amountUsd: zAmountUsd.optional(),
  period: zPeriod.optional(),
  alertThreshold: zAlertThreshold.optional(),
  actionOnExceed: zAction.optional(),
  isActive: zBool.optional(),
});

const zPeriodFigures = z.object({
  spentUsd: z.number(),
  limitUsd: z
    .number()
    .nullable()
    .meta({ description: "The smallest active global or own user limit, if any" }),
  percentage: zPercentage.nullable(),
});

export const zBudgetSummary = z.object({
  today: zPeriodFigures,
  week: zPeriodFigures,
  month: zPeriodFigures,
  alerts: z.array(
    z.object({
      id: z.string(),
      limitId: z.string(),
      level: z.enum(BUDGET_ALERT_LEVELS),
      scope: z.object({
        type: z.enum(BUDGET_SCOPE_TYPES),
        id: z.string().nullable(),
        name: z.string(),
      }),
      spentUsd: z.number(),
      limitUsd: z.number(),
      percentage: zPercentage,
      message: z.string(),
      createdAt: zIsoDate,
    }),
  ),
});
