// The better-auth factory. Apps call it with their settings; this package never reads the environment.
import { apiKey } from "@better-auth/api-key";
import type { Database } from "@crewdeck/db";
import { newId, schema } from "@crewdeck/db";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { admin, bearer, jwt, twoFactor, username } from "better-auth/plugins";
import { count } from "drizzle-orm";
import {
  COMMON_PASSWORD_MESSAGE,
  isCommonPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from "./password-policy";

/** The internal header the server fills with the socket's (or trusted proxy's) client address. */
export const CLIENT_IP_HEADER = "x-crewdeck-client-ip";
export const API_KEY_HEADER = "x-api-key";

/** better-auth's routes that set a password. */
const PASSWORD_SETTING_PATHS = new Set([
  "/sign-up/email",
  "/change-password",
  "/set-password",
  "/reset-password",
  "/admin/create-user",
  "/admin/set-user-password",
]);

export type AuthOptions = {
  db: Database;
  /** At least 32 characters; signs cookies and encrypts the JWT signing keys. */
  secret: string;
  /** Public URL of the server (APP_URL); JWT issuer and audience. */
  baseURL: string;
  trustedOrigins: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * better-auth's own limit on its sign-up route; its sign-in routes pass the API's login limits in the
   * server, in front of better-auth (they need the identifier and the outcome).
   */
  rateLimit: { windowSeconds: number; registerMax: number };
};

export function initAuth(options: AuthOptions) {
  const { db } = options;
  return betterAuth({
    appName: "Crewdeck",
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: "/api/auth",
    trustedOrigins: options.trustedOrigins,
    database: drizzleAdapter(db, {
      provider: "sqlite",
      schema: {
        user: schema.users,
        session: schema.sessions,
        account: schema.accounts,
        verification: schema.verifications,
        jwks: schema.jwks,
        twoFactor: schema.twoFactors,
        apikey: schema.apiKeys,
      },
    }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: true,
    },
    hooks: {
      // The API checks passwords before they reach better-auth; this keeps every other way of setting one
      // to the same rule. (Not in the password hasher: sign-in hashes the guess of an unknown account to
      // even out timings, and a refusal there would tell which accounts exist.)
      before: createAuthMiddleware(async (ctx) => {
        if (!PASSWORD_SETTING_PATHS.has(ctx.path)) return;
        const body = (ctx.body ?? {}) as Record<string, unknown>;
        const password = body.newPassword ?? body.password;
        if (typeof password === "string" && isCommonPassword(password)) {
          throw new APIError("BAD_REQUEST", {
            message: COMMON_PASSWORD_MESSAGE,
            code: "PASSWORD_TOO_COMMON",
          });
        }
      }),
    },
    session: { expiresIn: options.refreshTokenTtlSeconds, updateAge: 60 * 60 * 24 },
    advanced: {
      database: { generateId: () => newId() },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: 600,
      customRules: {
        "/sign-up/email": { window: options.rateLimit.windowSeconds, max: options.rateLimit.registerMax },
      },
    },
    databaseHooks: {
      user: {
        create: {
          // The first account of a fresh install administers it.
          before: async (user) => {
            const [row] = await db.select({ n: count() }).from(schema.users);
            return { data: { ...user, role: (row?.n ?? 0) === 0 ? "admin" : "user" } };
          },
        },
      },
    },
    plugins: [
      username({ minUsernameLength: 3, maxUsernameLength: 32 }),
      bearer(),
      jwt({
        jwt: {
          issuer: options.baseURL,
          audience: options.baseURL,
          expirationTime: `${options.accessTokenTtlSeconds}s`,
        },
      }),
      twoFactor({ issuer: "Crewdeck" }),
      admin({ defaultRole: "user", adminRoles: ["admin"] }),
      apiKey({
        apiKeyHeaders: API_KEY_HEADER,
        defaultPrefix: "cd_",
        enableMetadata: true,
        // Crewdeck's general per-user limit applies to key holders too; the plugin's own default is 10/day.
        rateLimit: { enabled: false },
        keyExpiration: { defaultExpiresIn: null, minExpiresIn: 1, maxExpiresIn: 365 * 5 },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof initAuth>;
