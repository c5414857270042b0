// The password as a proof of presence (before deleting the account) and changing it, which ends the
// user's other sessions.
import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from "@crewdeck/auth";
import { schema } from "@crewdeck/db";
import { and, eq, ne } from "drizzle-orm";
import type { ApiDeps, RequestInfo } from "../../context";
import { forbidden, invalid } from "../../errors";
import { consumeRateLimit } from "../../lib/rate-limits";
import type { UserRow, Viewer } from "../../lib/viewer";

type Deps = ApiDeps & Pick<RequestInfo, "resHeaders">;

/** An account without a password proves itself with a session this recent instead. */
const FRESH_SIGN_IN_MS = 5 * 60_000;

const credentialAccount = (deps: ApiDeps, userId: string) =>
  deps.db.query.accounts.findFirst({
    where: and(eq(schema.accounts.userId, userId), eq(schema.accounts.providerId, "credential")),
  });

/** Refuses a new password found on the common and breached list, naming the field it came in. */
export function assertUncommonPassword(password: string, field: string) {
  if (isCommonPassword(password)) {
    throw invalid(COMMON_PASSWORD_MESSAGE, [{ field, message: COMMON_PASSWORD_MESSAGE }]);
  }
}

/**
 * Checks the user's password again, or answers 400 VALIDATION_ERROR on `field`. Checks spend the account's
 * login budget, so a stolen access token is no faster a way to guess the password than signing in.
 */
export async function confirmPassword(deps: Deps, viewer: Viewer, password: string, field: string) {
  const account = await credentialAccount(deps, viewer.user.id);
  if (!account?.password) {
    const session = viewer.sessionId
      ? await deps.db.query.sessions.findFirst({ where: eq(schema.sessions.id, viewer.sessionId) })
      : undefined;
    if (session && Date.now() - session.createdAt.getTime() < FRESH_SIGN_IN_MS) return;
    throw forbidden("This account has no password: sign in again, then retry within five minutes");
  }
  await consumeRateLimit(deps.limiters.login, `password-check|user:${viewer.user.id}`, deps.resHeaders);
  const ctx = await deps.auth.$context;
  if (!(await ctx.password.verify({ hash: account.password, password }))) {
    throw invalid("The password is not right", [{ field, message: "Wrong password" }]);
  }
}

/**
 * Sets a new password and ends every other session of the user (their access tokens stop working with
 * them); the session that asked goes on with the tokens it has.
 */
export async function changePassword(
  deps: Deps,
  viewer: Viewer,
  input: { currentPassword: string; newPassword: string },
): Promise<{ revoked: number }> {
  const { sessionId } = viewer;
  if (!sessionId) throw forbidden("Changing the password needs a signed-in session, not an API key");
  if (!(await credentialAccount(deps, viewer.user.id))?.password) {
    throw invalid("This account signs in without a password", [
      { field: "currentPassword", message: "No password" },
    ]);
  }
  await confirmPassword(deps, viewer, input.currentPassword, "currentPassword");
  assertUncommonPassword(input.newPassword, "newPassword");
  const ctx = await deps.auth.$context;
  const hash = await ctx.password.hash(input.newPassword);
  const user: UserRow = viewer.user;
  const revoked = await deps.db.transaction(async (tx) => {
    await tx
      .update(schema.accounts)
      .set({ password: hash, updatedAt: new Date() })
      .where(and(eq(schema.accounts.userId, user.id), eq(schema.accounts.providerId, "credential")));
    const ended = await tx
      .delete(schema.sessions)
      .where(and(eq(schema.sessions.userId, user.id), ne(schema.sessions.id, sessionId)))
      .returning({ id: schema.sessions.id });
    return ended.length;
  });
  return { revoked };
}
