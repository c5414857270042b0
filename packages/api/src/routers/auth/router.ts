import { z } from "zod";
import { invalid } from "../../errors";
import { consumeRateLimit } from "../../lib/rate-limits";
import { OK, zOk } from "../../lib/schemas";
import { resolveViewer } from "../../lib/viewer";
import { clientKey } from "../../services/auth/login-limits";
import { listSessions, logout, refreshTokens, revokeSession } from "../../services/auth/sessions";
import {
  confirmSecondFactor,
  disableSecondFactor,
  enableSecondFactor,
  login,
  register,
  verifySecondFactor,
} from "../../services/auth/sign-in";
import { signUpMode } from "../../services/invitations/sign-up-gate";
import { changePassword } from "../../services/users/password";
import { getProfile, updateProfile } from "../../services/users/profile";
import { authedProcedure, createTRPCRouter, publicProcedure } from "../../trpc";
import { zSignUpMode } from "../invitations/types";
import {
  zChangePasswordInput,
  zEnableTwoFactorOutput,
  zLoginInput,
  zLoginOutput,
  zLogoutInput,
  zLogoutOutput,
  zPasswordInput,
  zProfile,
  zRefreshInput,
  zRegisterInput,
  zRegisterOutput,
  zSessionList,
  zSessionRef,
  zTokenResponse,
  zUpdateProfileInput,
  zVerifyTwoFactorInput,
} from "./types";

const tags = ["auth"];

export const authRouter = createTRPCRouter({
  register: publicProcedure
    .meta({
      secretResponse: true,
      openapi: {
        method: "POST",
        path: "/auth/register",
        tags,
        protect: false,
        summary: "Create an account",
        description:
          "Who may register follows the site's sign-up mode (`GET /auth/signup-mode`): open, by invitation (`invitationToken` from an invitation link; the first account needs none) or closed (403 FORBIDDEN). With a mailer configured the answer is `{ requires_email_verification: true }`: the account signs in once its address is confirmed by the mailed link.",
      },
    })
    .input(zRegisterInput)
    .output(zRegisterOutput)
    .mutation(async ({ ctx, input }) => {
      await consumeRateLimit(ctx.limiters.register, clientKey(ctx.clientIp), ctx.resHeaders);
      return register(ctx, input);
    }),

  signupMode: publicProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/auth/signup-mode",
        tags,
        protect: false,
        summary: "Who may sign up here: which form the sign-up page shows",
      },
    })
    .input(z.void())
    .output(zSignUpMode)
    .query(({ ctx }) => signUpMode(ctx)),

  login: publicProcedure
    .meta({
      secretResponse: true,
      openapi: {
        method: "POST",
        path: "/auth/login",
        tags,
        protect: false,
        summary: "Sign in by email or username",
        description:
          "With both, the username is used. Limited per address and account, per address across accounts, and per account: consecutive failures make the next attempt wait (1 s doubling, capped), except from addresses the account signed in from before; a success resets it.",
      },
    })
    .input(zLoginInput)
    .output(zLoginOutput)
    .mutation(({ ctx, input }) => login(ctx, input)),

  verifyTwoFactor: publicProcedure
    .meta({
      secretResponse: true,
      openapi: {
        method: "POST",
        path: "/auth/2fa/verify",
        tags,
        protect: false,
        summary: "Complete a sign-in with a TOTP or backup code",
        description:
          "With `temp_token` (from /auth/login), completes the sign-in. Without it, while signed in, confirms a just-enabled authenticator and returns fresh tokens.",
      },
    })
    .input(zVerifyTwoFactorInput)
    .output(zTokenResponse)
    .mutation(async ({ ctx, input }) => {
      if (input.temp_token) return verifySecondFactor(ctx, input.temp_token, input.code);
      const viewer = await resolveViewer(ctx.db, ctx.auth, ctx.headers);
      if (!viewer) throw invalid("temp_token is required", [{ field: "temp_token", message: "Required" }]);
      return confirmSecondFactor(ctx, viewer, input.code);
    }),

  enableTwoFactor: authedProcedure
    .meta({
      secretResponse: true,
      sessionOnly: true,
      openapi: {
        method: "POST",
        path: "/auth/2fa/enable",
        tags,
        summary: "Start enabling two-factor sign-in",
      },
    })
    .input(zPasswordInput)
    .output(zEnableTwoFactorOutput)
    .mutation(({ ctx, input }) => enableSecondFactor(ctx, ctx.viewer, input.password)),

  disableTwoFactor: authedProcedure
    .meta({
      secretResponse: true,
      sessionOnly: true,
      openapi: {
        method: "POST",
        path: "/auth/2fa/disable",
        tags,
        summary: "Turn two-factor sign-in off",
        description: "The session is replaced; the response carries its new tokens.",
      },
    })
    .input(zPasswordInput)
    .output(zTokenResponse)
    .mutation(({ ctx, input }) => disableSecondFactor(ctx, ctx.viewer, input.password)),

  changePassword: authedProcedure
    .meta({
      sessionOnly: true,
      openapi: {
        method: "POST",
        path: "/auth/password",
        tags,
        summary: "Change the password; every other session ends",
        description:
          "Needs the current password and a signed-in session (not an API key). The new one has at least 8 characters and is not a common or breached password (400 VALIDATION_ERROR on `newPassword`). Every other session of the account is revoked, their access tokens with them; the calling session keeps its tokens. `revoked` counts the sessions ended.",
      },
    })
    .input(zChangePasswordInput)
    .output(zLogoutOutput)
    .mutation(async ({ ctx, input }) => ({ ...OK, ...(await changePassword(ctx, ctx.viewer, input)) })),

  refresh: publicProcedure
    .meta({
      secretResponse: true,
      openapi: {
        method: "POST",
        path: "/auth/refresh",
        tags,
        protect: false,
        summary: "Rotate a refresh token",
      },
    })
    .input(zRefreshInput)
    .output(zTokenResponse)
    .mutation(({ ctx, input }) => refreshTokens(ctx, (input.refresh_token ?? input.refreshToken) as string)),

  logout: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/logout",
        tags,
        protect: false,
        summary: "End a session, or all of them",
        description:
          "Identifies the session by `refresh_token` or by the request's session credentials (not an API key). `allDevices: true` ends every session of the user and revokes all of their API keys.",
      },
    })
    .input(zLogoutInput)
    .output(zLogoutOutput)
    .mutation(async ({ ctx, input }) => {
      const refreshToken = input.refresh_token ?? input.refreshToken;
      const viewer = refreshToken ? null : await resolveViewer(ctx.db, ctx.auth, ctx.headers);
      const { revoked } = await logout(ctx, viewer, {
        refreshToken,
        allDevices: input.allDevices,
      });
      return { ...OK, revoked };
    }),

  me: authedProcedure
    .meta({
      projectKey: "allowed",
      openapi: { method: "GET", path: "/auth/me", tags, summary: "The signed-in user" },
    })
    .input(z.void())
    .output(zProfile)
    .query(({ ctx }) => getProfile(ctx, ctx.viewer.user)),

  updateMe: authedProcedure
    .meta({
      projectKey: "refused",
      openapi: { method: "PATCH", path: "/auth/me", tags, summary: "Update the profile" },
    })
    .input(zUpdateProfileInput)
    .output(zProfile)
    .mutation(({ ctx, input }) => updateProfile(ctx, ctx.viewer.user, input)),

  sessions: authedProcedure
    .meta({
      sessionOnly: true,
      openapi: { method: "GET", path: "/auth/sessions", tags, summary: "The caller's active sessions" },
    })
    .input(z.void())
    .output(zSessionList)
    .query(async ({ ctx }) => ({ items: await listSessions(ctx, ctx.viewer) })),

  revokeSession: authedProcedure
    .meta({
      sessionOnly: true,
      openapi: { method: "DELETE", path: "/auth/sessions/{id}", tags, summary: "Revoke one session" },
    })
    .input(zSessionRef)
    .output(zOk)
    .mutation(async ({ ctx, input }) => {
      await revokeSession(ctx, ctx.viewer, input.id);
      return OK;
    }),
});
