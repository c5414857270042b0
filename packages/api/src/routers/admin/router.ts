import { z } from "zod";
import { OK, zOk } from "../../lib/schemas";
import { actorOf } from "../../lib/viewer";
import { getMetrics } from "../../services/admin/metrics";
import { getSiteSettings, updateSiteSettings } from "../../services/admin/site-settings";
import { deleteUser, updateUser } from "../../services/admin/user-changes";
import { listUsers } from "../../services/admin/users";
import { listAuditEvents } from "../../services/audit/audit";
import { adminProcedure, createTRPCRouter } from "../../trpc";
import {
  zAdminUser,
  zAdminUserPage,
  zAuditEventPage,
  zListAuditEventsInput,
  zListUsersInput,
  zMetrics,
  zSiteSettings,
  zUpdateSiteSettingsInput,
  zUpdateUserInput,
  zUserIdInput,
} from "./types";

const tags = ["admin"];

export const adminRouter = createTRPCRouter({
  users: createTRPCRouter({
    list: adminProcedure
      .meta({
        openapi: { method: "GET", path: "/admin/users", tags, summary: "Every account, newest first" },
      })
      .input(zListUsersInput)
      .output(zAdminUserPage)
      .query(({ ctx, input: { page, limit, search } }) => listUsers(ctx.db, { search }, { page, limit })),

    update: adminProcedure
      .meta({
        openapi: {
          method: "PATCH",
          path: "/admin/users/{userId}",
          tags,
          summary: "Change a user's site role, or ban or unban them (a ban signs them out everywhere)",
        },
      })
      .input(zUpdateUserInput)
      .output(zAdminUser)
      .mutation(({ ctx, input: { userId, ...changes } }) =>
        updateUser(ctx, ctx.viewer.user, userId, changes),
      ),

    delete: adminProcedure
      .meta({
        openapi: {
          method: "DELETE",
          path: "/admin/users/{userId}",
          tags,
          summary: "Delete a user; projects they share go to another owner",
        },
      })
      .input(zUserIdInput)
      .output(zOk)
      .mutation(async ({ ctx, input }) => {
        await deleteUser(ctx, ctx.viewer.user, input.userId);
        return OK;
      }),
  }),

  auditEvents: createTRPCRouter({
    list: adminProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/admin/audit-events",
          tags,
          summary: "Security events, newest first",
          description:
            "Sign-ups, sign-ins and their failures, second-factor, password, session and API key changes, and administrators' changes to accounts. `userId` matches whoever acted or was acted on.",
        },
      })
      .input(zListAuditEventsInput)
      .output(zAuditEventPage)
      .query(({ ctx, input: { page, limit, ...filters } }) =>
        listAuditEvents(ctx.db, filters, { page, limit }),
      ),
  }),

  metrics: createTRPCRouter({
    get: adminProcedure
      .meta({ openapi: { method: "GET", path: "/admin/metrics", tags, summary: "Site-wide figures" } })
      .input(z.void())
      .output(zMetrics)
      .query(({ ctx }) => getMetrics(ctx.db)),
  }),

  settings: createTRPCRouter({
    get: adminProcedure
      .meta({
        openapi: {
          method: "GET",
          path: "/admin/settings",
          tags,
          summary: "Site settings: who may sign up, each person's daily spend cap",
        },
      })
      .input(z.void())
      .output(zSiteSettings)
      .query(({ ctx }) => getSiteSettings(ctx)),

    update: adminProcedure
      .meta({
        openapi: {
          method: "PATCH",
          path: "/admin/settings",
          tags,
          summary: "Change site settings; they take effect at once and outlive restarts",
        },
      })
      .input(zUpdateSiteSettingsInput)
      .output(zSiteSettings)
      .mutation(({ ctx, input }) => updateSiteSettings(ctx, actorOf(ctx.viewer), input)),
  }),
});
