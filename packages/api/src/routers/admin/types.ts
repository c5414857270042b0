import { AUDIT_ACTIONS, SIGNUP_MODES } from "@crewdeck/domain";
import { z } from "zod";
import { zBool, zId, zIsoDate, zNumber, zPage, zPageInput } from "../../lib/schemas";

export const zSiteRole = z.enum(["user", "admin"]);

export const zAdminUser = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string().nullable(),
  email: z.string(),
  role: zSiteRole,
  banned: z.boolean(),
  banReason: z.string().nullable(),
  banExpires: zIsoDate.nullable(),
  emailVerified: z.boolean(),
  twoFactorEnabled: z.boolean(),
  createdAt: zIsoDate,
  lastLoginAt: zIsoDate.nullable(),
  loginCount: z.number().int(),
  projectCount: z.number().int(),
});

export const zListUsersInput = zPageInput.extend({
  /** Matched anywhere in the name, email or username, ignoring case. */
  search: z.string().trim().max(200).optional(),
});
export const zAdminUserPage = zPage(zAdminUser);

export const zUserIdInput = z.object({ userId: zId });

export const zUpdateUserInput = zUserIdInput.extend({
  role: zSiteRole.optional(),
  banned: zBool.optional(),
  banReason: z.string().trim().min(1).max(500).nullable().optional(),
  /** When the ban ends; null or absent for a ban without end. */
  banExpires: zIsoDate.nullable().optional(),
});

export const zMetrics = z.object({
  totalUsers: z.number().int(),
  totalProjects: z.number().int(),
  totalConversations: z.number().int(),
  totalMessages: z.number().int(),
  activeUsers24h: z.number().int(),
  runningRuns: z.number().int(),
  spendTodayUsd: z.number(),
});

const zSiteSettingsValues = z.object({
  signupMode: z.enum(SIGNUP_MODES),
  /** Each person's model spend per UTC day, in USD; 0 means no cap. */
  dailySpendCapUsd: z.number(),
});

export const zSiteSettings = zSiteSettingsValues.extend({
  /** What the environment sets; in force for any setting an administrator has not changed. */
  defaults: zSiteSettingsValues,
});

export const zUpdateSiteSettingsInput = z.object({
  signupMode: z.enum(SIGNUP_MODES).optional(),
  dailySpendCapUsd: zNumber(z.number().min(0).max(1_000_000)).optional(),
});

export const zAuditEvent = z.object({
  id: z.string(),
  createdAt: zIsoDate,
  action: z.enum(AUDIT_ACTIONS),
  /** Who acted; null for an anonymous caller (a failed login). */
  actorUserId: z.string().nullable(),
  /** Whose account it concerns. */
  subjectUserId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const zAuditEventPage = zPage(zAuditEvent);

export const zListAuditEventsInput = zPageInput.extend({
  action: z.enum(AUDIT_ACTIONS).optional(),
  /** Events this user did or underwent. */
  userId: zId.optional(),
});
