import { PREFERENCES_MAX_BYTES, PREFERENCES_MAX_DEPTH } from "@crewdeck/domain";
import { z } from "zod";
import { zBool, zBoundedJsonObject, zIsoDate } from "../../lib/schemas";
import { zUser, zUserActivity } from "../../services/users/user-dto";

/** The token response of §2.1: a short-lived access JWT plus the session token as refresh token. */
export const zTokenResponse = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int(),
  requires_2fa: z.literal(false),
  user: zUser,
});

/**
 * A password being set: 8 to 128 characters. Whether it is a common or breached one is checked by the
 * services (`assertUncommonPassword`): the list is server-side, and these schemas also run in the browser.
 */
const zNewPassword = z.string().min(8, "Passwords have at least 8 characters").max(128);
const zUsername = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[a-zA-Z0-9_.]+$/, "Letters, digits, '_' and '.' only");

export const zRegisterInput = z.object({
  email: z.email(),
  username: zUsername,
  password: zNewPassword,
  name: z.string().trim().min(1).max(100).optional(),
  /** The token of an invitation link (`/invite/<token>`): needed when sign-up is by invitation. */
  invitationToken: z.string().min(1).max(200).optional(),
});

/** With a mailer, a new account signs in only after confirming its address through the mailed link. */
export const zVerificationPending = z.object({
  requires_email_verification: z.literal(true),
  email: z.string(),
});
export const zRegisterOutput = z.union([zTokenResponse, zVerificationPending]);

export const zLoginInput = z
  .object({
    email: z.email().optional(),
    username: z.string().min(1).max(64).optional(),
    password: z.string().min(1).max(128),
  })
  .refine((v) => v.email || v.username, { message: "Give an email or a username", path: ["email"] });

export const zTwoFactorChallenge = z.object({ requires_2fa: z.literal(true), temp_token: z.string() });
export const zLoginOutput = z.union([zTokenResponse, zTwoFactorChallenge]);

export const zVerifyTwoFactorInput = z.object({
  temp_token: z.string().min(1).optional(),
  code: z.string().trim().min(6).max(32),
});
export const zPasswordInput = z.object({ password: z.string().min(1).max(128) });
export const zChangePasswordInput = z.object({
  currentPassword: z.string().min(1).max(128),
  newPassword: zNewPassword,
});
export const zEnableTwoFactorOutput = z.object({ totpUri: z.string(), backupCodes: z.array(z.string()) });

/** Seed 003 names the refresh token `refreshToken`; either name is taken (the contract's wins). */
const zRefreshTokenAlias = z.string().min(1).optional().describe("Seed 003's name for `refresh_token`");
export const zRefreshInput = z
  .object({ refresh_token: z.string().min(1).optional(), refreshToken: zRefreshTokenAlias })
  .refine((input) => input.refresh_token ?? input.refreshToken, {
    message: "Invalid input: expected string, received undefined",
    path: ["refresh_token"],
  });
export const zLogoutInput = z.object({
  refresh_token: z.string().min(1).optional(),
  refreshToken: zRefreshTokenAlias,
  allDevices: zBool.optional(),
});
export const zLogoutOutput = z.object({ success: z.literal(true), revoked: z.number().int() });

export const zProfile = zUser.extend({
  github: z
    .object({
      connected: z.literal(true),
      username: z.string(),
      connectedAt: zIsoDate,
      lastSyncAt: zIsoDate.nullable(),
    })
    .nullable(),
  activity: zUserActivity,
});

export const zUpdateProfileInput = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  username: zUsername.optional(),
  avatarUrl: z.url().max(2048).nullable().optional(),
  title: z.string().trim().max(100).nullable().optional(),
  /** Merged into the stored preferences; the result stays within the same bounds. */
  preferences: zBoundedJsonObject({
    maxDepth: PREFERENCES_MAX_DEPTH,
    maxBytes: PREFERENCES_MAX_BYTES,
  }).optional(),
});

export const zSession = z.object({
  id: z.string(),
  device: z.string(),
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: zIsoDate,
  lastUsedAt: zIsoDate.nullable(),
  expiresAt: zIsoDate,
  current: z.boolean(),
});

export const zSessionList = z.object({ items: z.array(zSession) });

export const zSessionRef = z.object({ id: z.string().min(1) });
