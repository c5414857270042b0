import { z } from "zod";
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from "../../services/notifications/notifications";
import {
  getNotificationPreferences,
  updateNotificationPreferences,
} from "../../services/notifications/preferences";
import { authedProcedure, createTRPCRouter } from "../../trpc";
import {
  zListNotificationsInput,
  zNotification,
  zNotificationIdInput,
  zNotificationPage,
  zNotificationPreferences,
  zReadAllResult,
  zUpdateNotificationPreferencesInput,
} from "./types";

const tags = ["notifications"];

export const notificationsRouter = createTRPCRouter({
  list: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: { method: "GET", path: "/notifications", tags, summary: "Your notifications, newest first" },
    })
    .input(zListNotificationsInput)
    .output(zNotificationPage)
    .query(({ ctx, input: { page, limit, ...filters } }) =>
      listNotifications(ctx.db, ctx.viewer.user.id, filters, { page, limit }),
    ),

  read: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "POST",
        path: "/notifications/{notificationId}/read",
        tags,
        summary: "Mark a notification as read",
      },
    })
    .input(zNotificationIdInput)
    .output(zNotification)
    .mutation(({ ctx, input }) => markNotificationRead(ctx.db, ctx.viewer.user.id, input.notificationId)),

  readAll: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "POST",
        path: "/notifications/read-all",
        tags,
        summary: "Mark all your notifications as read",
      },
    })
    .input(z.void())
    .output(zReadAllResult)
    .mutation(({ ctx }) => markAllNotificationsRead(ctx.db, ctx.viewer.user.id)),

  preferences: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "GET",
        path: "/notifications/preferences",
        tags,
        summary: "Which kinds of notification you get (every kind is on until you turn it off)",
      },
    })
    .input(z.void())
    .output(zNotificationPreferences)
    .query(({ ctx }) => getNotificationPreferences(ctx.db, ctx.viewer.user.id)),

  updatePreferences: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: {
        method: "PATCH",
        path: "/notifications/preferences",
        tags,
        summary: "Turn kinds of notification on or off (budget alerts always arrive)",
      },
    })
    .input(zUpdateNotificationPreferencesInput)
    .output(zNotificationPreferences)
    .mutation(({ ctx, input }) =>
      updateNotificationPreferences(ctx.db, ctx.viewer.user.id, input.preferences),
    ),
});
