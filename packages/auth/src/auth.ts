// The better-auth factory. Apps call it with their settings; this package never reads the environment.
import { apiKey } from "@better-auth/api-key";
import type { Database } from "@crewdeck/db";
import { newId, schema } from "@crewdeck/db";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { admin, bearer, jwt, twoFactor, username } from "better-auth/plugins";
import {
  COMMON_PASSWORD_MESSAGE,
  isCommonPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from "./password-policy";
import { hashingSessionTokens } from "./session-tokens";

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
  /** Where better-auth's own log lines go (the server's logger), instead of its colourful console. */
  logger?: { info: (message: string) => void; error: (message: string, error?: unknown) => void } | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * better-auth's own limit on its sign-up route; its sign-in routes pass the API's login limits in the
   * server, in front of better-auth (they need the identifier and the outcome).
   */
  rateLimit: { windowSeconds: number; registerMax: number };
  /** Who may create an account: every path that creates a user row asks it (see `SignUpGate`). */
  signUpGate: SignUpGate;
  /**
   * Sends the link that verifies a new account's email. When given, an account cannot sign in until its
   * address is verified; without it, addresses are taken on trust.
   */
  sendVerificationEmail?: ((message: { to: string; name: string; url: string }) => Promise<void>) | undefined;
};

/** What a sign-up asks for: the address, and the invitation it presents (the body's `invitationToken`). */
export type SignUpRequest = { email: string; invitationToken: string | null };

/**
 * The sign-up mode and invitations, enforced where the user row is created so that no endpoint can skip
 * them. Both methods refuse by throwing better-auth's `APIError`.
 */
export type SignUpGate = {
  /** Before the user row exists: may this sign-up go ahead, and with which site role? */
  admit: (request: SignUpRequest) => Promise<{ role: "admin" | "user" }>;
  /**
   * Right after the row exists: claims the invitation (once) and grants what it carries. If the invitation
   * was claimed meanwhile, it removes the new account and refuses, so an account never outlives its refusal.
   */
  complete: (user: { id: string; email: string }, request: SignUpRequest) => Promise<void>;
};

/** The invitation a sign-up request presents, from the body of better-auth's endpoints (unknown fields pass through). */
const signUpRequestOf = (email: string, body: unknown): SignUpRequest => {
  const token = body && typeof body === "object" ? (body as Record<string, unknown>).invitationToken : null;
  return { email: email.toLowerCase(), invitationToken: typeof token === "string" && token ? token : null };
};

/** Accounts an administrator creates through better-auth's admin plugin need no invitation. */
const ADMIN_CREATE_PATH = "/admin/create-user";

export function initAuth(options: AuthOptions) {
  const { db } = options;
  return betterAuth({
    appName: "Crewdeck",
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: "/api/auth",
    trustedOrigins: options.trustedOrigins,
    logger: {
      log: (level, message, ...args) => {
        const log = options.logger;
        if (!log || level === "debug") return;
        // A client's mistake (a bad API key is a 401) is not the server's error: one info line with its
        // reason (better-auth's message, never the credential), under LOG_LEVEL like every other line.
        const cause = args[0] as { statusCode?: unknown; message?: unknown } | undefined;
        const status = cause?.statusCode;
        const clientError = typeof status === "number" && status < 500;
        if (level === "error" && !clientError) {
          log.error(`better-auth: ${message}`, cause);
          return;
        }
        const reason = clientError && typeof cause?.message === "string" ? ` ${cause.message}` : "";
        log.info(`better-auth: ${message}${reason}`);
      },
    },
    database: hashingSessionTokens(
      drizzleAdapter(db, {
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
    ),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: true,
      requireEmailVerification: Boolean(options.sendVerificationEmail),
    },
    ...(options.sendVerificationEmail && {
      emailVerification: {
        sendOnSignUp: true,
        sendOnSignIn: true,
        autoSignInAfterVerification: false,
        expiresIn: 24 * 60 * 60,
        sendVerificationEmail: async ({ user, url }) => {
          await options.sendVerificationEmail?.({ to: user.email, name: user.name, url });
        },
      },
    }),
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
    hooks: {
      // The sign-up check is the user-row hook's below, earlier: better-auth answers a refusal from inside
      // sign-up with a fake success when email verification is on (so addresses cannot be probed), which
      // would hide "sign-up is by invitation" from the very person it concerns.
      before: createAuthMiddleware(async (ctx) => {
        // The API checks passwords before they reach better-auth; this keeps every other way of setting one
        // to the same rule. (Not in the password hasher: sign-in hashes the guess of an unknown account to
        // even out timings, and a refusal there would tell which accounts exist.)
        if (PASSWORD_SETTING_PATHS.has(ctx.path)) {
          const body = (ctx.body ?? {}) as Record<string, unknown>;
          const password = body.newPassword ?? body.password;
          if (typeof password === "string" && isCommonPassword(password)) {
            throw new APIError("BAD_REQUEST", {
              message: COMMON_PASSWORD_MESSAGE,
              code: "PASSWORD_TOO_COMMON",
            });
          }
        }
        if (ctx.path !== "/sign-up/email") return;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : "";
        await options.signUpGate.admit(signUpRequestOf(email, ctx.body));
      }),
    },
    databaseHooks: {
      user: {
        create: {
          // The sign-up mode and invitations; the first account of a fresh install administers it.
          before: async (user, ctx) => {
            if (ctx?.path === ADMIN_CREATE_PATH) return { data: user };
            const { role } = await options.signUpGate.admit(signUpRequestOf(user.email, ctx?.body));
            return { data: { ...user, role } };
          },
          after: async (user, ctx) => {
            if (ctx?.path === ADMIN_CREATE_PATH) return;
            await options.signUpGate.complete(user, signUpRequestOf(user.email, ctx?.body));
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
