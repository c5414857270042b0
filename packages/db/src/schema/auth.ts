// Accounts and authentication. The columns follow better-auth's schema for the plugins we use
// (username, two-factor, admin, JWT, API keys); the rest are Crewdeck's own profile fields.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { bool, id, json, timestamp, timestamps } from "../columns";

export type UserPreferences = Record<string, unknown>;

export const users = sqliteTable(
  "users",
  {
    id: id(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: bool("email_verified").notNull().default(false),
    image: text("image"),
    username: text("username").unique(),
    displayUsername: text("display_username"),
    twoFactorEnabled: bool("two_factor_enabled").default(false),
    role: text("role").default("user"),
    banned: bool("banned").default(false),
    banReason: text("ban_reason"),
    banExpires: timestamp("ban_expires"),
    // Crewdeck profile
    title: text("title"),
    preferences: json<UserPreferences>("preferences").notNull().default({}),
    lastLoginAt: timestamp("last_login_at"),
    loginCount: integer("login_count").notNull().default(0),
    ...timestamps(),
  },
  (t) => [index("users_created_at_idx").on(t.createdAt)],
);

/** A better-auth session. Crewdeck hands its token out as the refresh token; `familyId` ties rotations together. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: id(),
    expiresAt: timestamp("expires_at").notNull(),
    token: text("token").notNull().unique(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    impersonatedBy: text("impersonated_by"),
    familyId: text("family_id"),
    lastUsedAt: timestamp("last_used_at"),
    ...timestamps(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId), index("sessions_family_id_idx").on(t.familyId)],
);

/**
 * Refresh tokens that were rotated away. Presenting one again means it was stolen or replayed:
 * the whole family is revoked. Only a SHA-256 of the token is kept.
 */
export const rotatedRefreshTokens = sqliteTable(
  "rotated_refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    familyId: text("family_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rotatedAt: timestamp("rotated_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
  },
  (t) => [index("rotated_refresh_tokens_family_idx").on(t.familyId)],
);

export const accounts = sqliteTable(
  "accounts",
  {
    id: id(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at"),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    ...timestamps(),
  },
  (t) => [index("accounts_user_id_idx").on(t.userId)],
);

export const verifications = sqliteTable(
  "verifications",
  {
    id: id(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
    ...timestamps(),
  },
  (t) => [index("verifications_identifier_idx").on(t.identifier)],
);

export const jwks = sqliteTable("jwks", {
  id: id(),
  publicKey: text("public_key").notNull(),
  privateKey: text("private_key").notNull(),
  createdAt: timestamp("created_at").notNull(),
  expiresAt: timestamp("expires_at"),
  alg: text("alg"),
  crv: text("crv"),
});

export const twoFactors = sqliteTable(
  "two_factors",
  {
    id: id(),
    secret: text("secret").notNull(),
    backupCodes: text("backup_codes").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    verified: bool("verified").default(true),
    failedVerificationCount: integer("failed_verification_count").default(0),
    lockedUntil: timestamp("locked_until"),
  },
  (t) => [index("two_factors_user_id_idx").on(t.userId), index("two_factors_secret_idx").on(t.secret)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: id(),
    configId: text("config_id").notNull().default("default"),
    name: text("name"),
    start: text("start"),
    referenceId: text("reference_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    prefix: text("prefix"),
    key: text("key").notNull(),
    refillInterval: integer("refill_interval"),
    refillAmount: integer("refill_amount"),
    lastRefillAt: timestamp("last_refill_at"),
    enabled: bool("enabled").default(true),
    rateLimitEnabled: bool("rate_limit_enabled").default(true),
    rateLimitTimeWindow: integer("rate_limit_time_window").default(86_400_000),
    rateLimitMax: integer("rate_limit_max").default(10),
    requestCount: integer("request_count").default(0),
    remaining: integer("remaining"),
    lastRequest: timestamp("last_request"),
    expiresAt: timestamp("expires_at"),
    createdAt: timestamp("created_at").notNull(),
    updatedAt: timestamp("updated_at").notNull(),
    permissions: text("permissions"),
    metadata: text("metadata"),
  },
  (t) => [
    index("api_keys_reference_id_idx").on(t.referenceId),
    index("api_keys_key_idx").on(t.key),
    index("api_keys_config_id_idx").on(t.configId),
  ],
);
