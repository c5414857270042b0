// Refresh-token rotation with reuse detection, logout, and the session list.
import { createSessionFor, findSessionByToken, hashToken } from "@crewdeck/auth";
import { schema } from "@crewdeck/db";
import { and, desc, eq } from "drizzle-orm";
import type { ApiDeps, RequestInfo } from "../../context";
import { forbidden, notFound, unauthorized } from "../../errors";
import { iso, isoOrNull } from "../../lib/schemas";
import type { Viewer } from "../../lib/viewer";
import { recordAuditEvent } from "../audit/audit";
import { describeDevice } from "./device";
import { issueTokens, type TokenResponse } from "./token-response";

type Deps = ApiDeps & Pick<RequestInfo, "headers" | "clientIp">;

/** Ends every session of a refresh family: the response to a replayed (stolen) refresh token. */
async function revokeFamily({ db }: ApiDeps, familyId: string) {
  await db.delete(schema.sessions).where(eq(schema.sessions.familyId, familyId));
}

/**
 * Trades a refresh token for a new pair. The old token is retired and remembered (by hash) for as long
 * as it would have lived: presenting it again revokes its whole family.
 */
export async function refreshTokens(deps: Deps, refreshToken: string): Promise<TokenResponse> {
  const { db } = deps;
  const tokenHash = hashToken(refreshToken);
  const current = await findSessionByToken(db, refreshToken);
  if (!current) {
    const retired = await db.query.rotatedRefreshTokens.findFirst({
      where: eq(schema.rotatedRefreshTokens.tokenHash, tokenHash),
    });
    if (retired) {
      await revokeFamily(deps, retired.familyId);
      throw unauthorized(
        "This refresh token was already used; every session that descended from it is revoked",
      );
    }
    throw unauthorized("Invalid or expired refresh token");
  }
  if (current.expiresAt.getTime() <= Date.now()) {
    await db.delete(schema.sessions).where(eq(schema.sessions.id, current.id));
    throw unauthorized("Invalid or expired refresh token");
  }
  const familyId = current.familyId ?? current.id;
  const next = await createSessionFor(deps.auth, current.userId, {
    ipAddress: deps.clientIp,
    userAgent: deps.headers.get("user-agent"),
  });
  // Retiring the old token is the commit point: of two concurrent refreshes with one token, only one wins.
  const retired = await db.transaction(async (tx) => {
    const deleted = await tx.delete(schema.sessions).where(eq(schema.sessions.id, current.id)).returning();
    if (deleted.length === 0) return false;
    await tx
      .insert(schema.rotatedRefreshTokens)
      .values({
        tokenHash,
        familyId,
        userId: current.userId,
        rotatedAt: new Date(),
        expiresAt: current.expiresAt,
      })
      .onConflictDoNothing();
    return true;
  });
  if (!retired) {
    await db.delete(schema.sessions).where(eq(schema.sessions.id, next.id));
    await revokeFamily(deps, familyId);
    throw unauthorized(
      "This refresh token was already used; every session that descended from it is revoked",
    );
  }
  return issueTokens(deps, next, { familyId, isLogin: false });
}

export type LogoutInput = { refreshToken?: string | undefined; allDevices?: boolean | undefined };

/** Ends the given refresh token's session, the caller's current one, or (allDevices) all of the user's. */
export async function logout(
  deps: Deps,
  viewer: Viewer | null,
  input: LogoutInput,
): Promise<{ revoked: number }> {
  const { db } = deps;
  if (!input.refreshToken && viewer?.apiKey) {
    throw forbidden(
      "This needs a signed-in session: API keys cannot manage the account, its keys or sessions",
    );
  }
  const bySession = input.refreshToken ? await findSessionByToken(db, input.refreshToken) : undefined;
  if (input.refreshToken && !bySession && !viewer) throw unauthorized("Invalid or expired refresh token");
  const userId = bySession?.userId ?? viewer?.user.id;
  if (!userId) throw unauthorized();
  if (input.allDevices) {
    // Signing out everywhere is what someone does who fears a credential leaked: keys go with the sessions.
    const result = await db.transaction(async (tx) => {
      const revoked = await tx.delete(schema.sessions).where(eq(schema.sessions.userId, userId)).returning();
      const keys = await tx.delete(schema.apiKeys).where(eq(schema.apiKeys.referenceId, userId)).returning();
      await recordAuditEvent(
        tx,
        {
          action: "auth.logged_out_everywhere",
          actorUserId: userId,
          subjectUserId: userId,
          request: deps,
          details: { sessions: revoked.length, apiKeys: keys.length },
        },
        deps.engine.logger,
      );
      return { revoked: revoked.length };
    });
    deps.eventStreams.recheckUser(userId);
    return result;
  }
  const sessionId = bySession?.id ?? viewer?.sessionId;
  if (!sessionId) return { revoked: 0 };
  const revoked = await db
    .delete(schema.sessions)
    .where(and(eq(schema.sessions.id, sessionId), eq(schema.sessions.userId, userId)))
    .returning();
  if (revoked.length > 0) deps.eventStreams.recheckUser(userId);
  return { revoked: revoked.length };
}

export async function listSessions({ db }: ApiDeps, viewer: Viewer) {
  const rows = await db.query.sessions.findMany({
    where: eq(schema.sessions.userId, viewer.user.id),
    orderBy: [desc(schema.sessions.createdAt)],
  });
  return rows
    .filter((s) => s.expiresAt.getTime() > Date.now())
    .map((s) => ({
      id: s.id,
      device: describeDevice(s.userAgent),
      ipAddress: s.ipAddress || null,
      userAgent: s.userAgent || null,
      createdAt: iso(s.createdAt),
      lastUsedAt: isoOrNull(s.lastUsedAt ?? s.updatedAt),
      expiresAt: iso(s.expiresAt),
      current: s.id === viewer.sessionId,
    }));
}

export async function revokeSession(deps: Deps, viewer: Viewer, sessionId: string) {
  await deps.db.transaction(async (tx) => {
    const revoked = await tx
      .delete(schema.sessions)
      .where(and(eq(schema.sessions.id, sessionId), eq(schema.sessions.userId, viewer.user.id)))
      .returning();
    if (revoked.length === 0) throw notFound("Session");
    await recordAuditEvent(
      tx,
      {
        action: "auth.session_revoked",
        actorUserId: viewer.user.id,
        subjectUserId: viewer.user.id,
        request: deps,
        details: { sessionId },
      },
      deps.engine.logger,
    );
  });
  // Streams opened with it end now rather than at their next periodic check.
  deps.eventStreams.recheckUser(viewer.user.id);
}
