import { MAX_PAGE_LIMIT, NOTIFICATION_KINDS, NOTIFICATION_SEVERITIES } from "@crewdeck/domain";
import { z } from "zod";
import { zBool, zId, zIsoDate, zPage, zPageInput, zQueryBool } from "../../lib/schemas";

export const zNotificationSeverity = z.enum(NOTIFICATION_SEVERITIES);

export const zNotification = z.object({
  id: z.string(),
  type: z.string(),
  severity: zNotificationSeverity,
  title: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
  isRead: z.boolean(),
  readAt: zIsoDate.nullable(),
  createdAt: zIsoDate,
});

/** An inbox is read in longer pages than other lists (seed 001), hence its own default limit. */
export const zListNotificationsInput = zPageInput.extend({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(50),
  isRead: zQueryBool.optional(),
  severity: zNotificationSeverity.optional(),
});

export const zNotificationPage = zPage(zNotification).extend({ unreadCount: z.number().int() });

export const zNotificationIdInput = z.object({ notificationId: zId });

export const zReadAllResult = z.object({ updated: z.number().int() });

export const zNotificationKind = z.enum(NOTIFICATION_KINDS);

export const zNotificationPreferences = z.object({
  preferences: z.array(z.object({ kind: zNotificationKind, enabled: z.boolean(), description: z.string() })),
});

export const zUpdateNotificationPreferencesInput = z.object({
  preferences: z
    .array(z.object({ kind: zNotificationKind, enabled: zBool }))
    .max(NOTIFICATION_KINDS.length * 2)
    .meta({ description: "The kinds to turn on or off; kinds not named keep their setting" }),
});
