// Budget limits and the budget summary (§2.9).
import { z } from "zod";
import { OK, zOk } from "../../lib/schemas";
import { toBudgetViewer } from "../../services/budgets/limit-access";
import { createLimit, deleteLimit, listLimits, updateLimit } from "../../services/budgets/limits";
import { getBudgetSummary } from "../../services/budgets/summary";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import {
  zBudgetLimit,
  zBudgetLimitPage,
  zBudgetSummary,
  zCreateLimitInput,
  zLimitIdInput,
  zListLimitsInput,
  zUpdateLimitInput,
} from "./types";

const tags = ["budgets"];
const limitPath = "/budget/limits/{limitId}";

export const budgetsRouter = createTRPCRouter({
  summary: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "GET",
        path: "/budget/summary",
        tags,
        summary: "Spend today, this week and this month against your tightest limits, and current alerts",
      },
    })
    .input(z.void())
    .output(zBudgetSummary)
    .query(({ ctx }) =>
      getBudgetSummary(
        ctx.db,
        toBudgetViewer(ctx.viewer.user),
        ctx.engine.now(),
        ctx.settings.siteDefaults.dailySpendCapUsd,
      ),
    ),

  limits: createTRPCRouter({
    list: authedProcedure
      .meta({
        projectKey: "narrowed",
        openapi: {
          method: "GET",
          path: "/budget/limits",
          tags,
          summary: "Budget limits you can see, with this period's spend",
        },
      })
      .input(zListLimitsInput)
      .output(zBudgetLimitPage)
      .query(({ ctx, input }) =>
        listLimits(ctx.db, toBudgetViewer(ctx.viewer.user), input, ctx.engine.now()),
      ),

    create: authedProcedure
      .meta({
        projectKey: "narrowed",
        openapi: {
          method: "POST",
          path: "/budget/limits",
          tags,
          summary:
            "Set a limit: global (admins), a project or agent (its project's owner), or a user (themselves)",
        },
      })
      .input(zCreateLimitInput)
      .output(zBudgetLimit)
      .mutation(({ ctx, input }) =>
        createLimit(ctx.db, toBudgetViewer(ctx.viewer.user), input, ctx.engine.now()),
      ),

    update: authedProcedure
      .meta({
        projectKey: "narrowed",
        openapi: { method: "PATCH", path: limitPath, tags, summary: "Change or pause a budget limit" },
      })
      .input(zUpdateLimitInput)
      .output(zBudgetLimit)
      .mutation(({ ctx, input: { limitId, ...changes } }) =>
        updateLimit(ctx.db, toBudgetViewer(ctx.viewer.user), limitId, changes, ctx.engine.now()),
      ),

    delete: authedProcedure
      .meta({
        projectKey: "narrowed",
        openapi: { method: "DELETE", path: limitPath, tags, summary: "Delete a budget limit" },
      })
      .input(zLimitIdInput)
      .output(zOk)
      .mutation(async ({ ctx, input }) => {
        await deleteLimit(ctx.db, toBudgetViewer(ctx.viewer.user), input.limitId);
        return OK;
      }),
  }),
});
