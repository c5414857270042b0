// The token response of §2.1: a short-lived access JWT plus the session token as refresh token.
import { signAccessToken } from "@crewdeck/auth";
import { schema } from "@crewdeck/db";
import { and, desc, eq, notInArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { ApiDeps } from "../../context";
import type { zTokenResponse } from "../../routers/auth/types";
import { toUserDto } from "../users/user-dto";

export type TokenResponse = z.infer<typeof zTokenResponse>;

type SessionRef = { id: string; token: string; userId: string };

/**
 * Completes a sign-in (or a refresh) on an existing session: puts it in a refresh family, trims the
 * user's sessions to the allowed number, records the login, and signs an access token for it.
 */
export async function issueTokens(
  deps: ApiDeps,
  session: SessionRef,
  opts: { familyId?: string; isLogin: boolean },
): Promise<TokenResponse> {
  const { db, settings } = deps;
  // A new sign-in starts a family; a refresh carries its predecessor's family on.
  await db
    .update(schema.sessions)
    .set({ familyId: opts.familyId ?? session.id, lastUsedAt: new Date() })
    .where(eq(schema.sessions.id, session.id));
  await trimSessions(deps, session.userId);
  if (opts.isLogin) {
    await db
      .update(schema.users)
      .set({ lastLoginAt: new Date(), loginCount: sql`${schema.users.loginCount} + 1` })
      .where(eq(schema.users.id, session.userId));
  }
  const user = await db.query.users.findFirst({ where: eq(schema.users.id, session.userId) });
  if (!user) throw new Error(`session ${session.id} has no user`);
  return {
    access_token: await signAccessToken(deps.auth, { userId: user.id, sessionId: session.id }),
    refresh_token: session.token,
    token_type: "bearer",
    expires_in: settings.accessTokenTtlSeconds,
    requires_2fa: false,
    user: toUserDto(user),
  };
}

/** A user keeps at most `maxSessionsPerUser` sessions; the least recently created go first. */
async function trimSessions({ db, settings }: ApiDeps, userId: string) {
  const keep = await db
    .select({ id: schema.sessions.id })
    .from(schema.sessions)
    .where(eq(schema.sessions.userId, userId))
    .orderBy(desc(schema.sessions.createdAt), desc(schema.sessions.id))
    .limit(settings.maxSessionsPerUser);
  await db.delete(schema.sessions).where(
    and(
      eq(schema.sessions.userId, userId),
      notInArray(
        schema.sessions.id,
        keep.map((s) => s.id),
      ),
    ),
  );
}
