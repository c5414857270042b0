// Who may create an account, asked by better-auth wherever a user row is created (our /auth/register and
// its own /api/auth/sign-up/email alike): the site's sign-up mode, and the invitation a sign-up presents.
import { hashToken, type SignUpGate, type SignUpRequest } from "@crewdeck/auth";
import { type Database, readSiteSettings, type SiteSettings, schema } from "@crewdeck/db";
import { APIError } from "better-auth/api";
import { and, count, eq, isNull, or } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { invitationStatus, isPending } from "./invitations";

export type SignUpGateDeps = { db: Database; siteDefaults: SiteSettings; now?: () => Date };

const refuse = (message: string) => new APIError("FORBIDDEN", { message, code: "SIGN_UP_REFUSED" });

export const SIGN_UP_CLOSED = "Sign-up is closed on this server: ask an administrator for an account";
export const SIGN_UP_BY_INVITATION =
  "Sign-up on this server is by invitation: ask an administrator or a project owner for an invitation link";

/** The site has no account yet: its first one registers freely, whatever the mode, and administers it. */
export async function isFirstAccount(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(schema.users);
  return (row?.n ?? 0) === 0;
}

export function createSignUpGate({ db, siteDefaults, now = () => new Date() }: SignUpGateDeps): SignUpGate {
  return {
    async admit(request: SignUpRequest) {
      if (await isFirstAccount(db)) return { role: "admin" };
      const { signupMode } = await readSiteSettings(db, siteDefaults);
      if (signupMode === "closed") throw refuse(SIGN_UP_CLOSED);
      if (!request.invitationToken) {
        if (signupMode === "invite") throw refuse(SIGN_UP_BY_INVITATION);
        return { role: "user" };
      }
      // An invitation presented is checked in every mode: a project invitation must reach its project.
      const invitation = await db.query.invitations.findFirst({
        where: eq(schema.invitations.tokenHash, hashToken(request.invitationToken)),
      });
      if (!invitation || invitationStatus(invitation, now()) !== "pending") {
        throw refuse("This invitation link is invalid, expired, withdrawn or already used");
      }
      if (invitation.inviteeId) {
        throw refuse("This invitation is for an existing account: sign in to accept it");
      }
      if (invitation.email && invitation.email !== request.email) {
        throw refuse("This invitation was sent to another email address: sign up with that address");
      }
      return { role: "user" };
    },

    async complete(user, request) {
      if (!request.invitationToken) return;
      const tokenHash = hashToken(request.invitationToken);
      const at = now();
      const claimed = await db.transaction(async (tx) => {
        const [row] = await tx
          .update(schema.invitations)
          .set({ acceptedAt: at, acceptedById: user.id })
          .where(
            and(
              eq(schema.invitations.tokenHash, tokenHash),
              isPending(at),
              isNull(schema.invitations.inviteeId),
              or(isNull(schema.invitations.email), eq(schema.invitations.email, user.email.toLowerCase())),
            ),
          )
          .returning();
        if (row?.projectId && row.role) {
          await tx
            .insert(schema.projectMembers)
            .values({ projectId: row.projectId, userId: user.id, role: row.role })
            .onConflictDoNothing();
        }
        return row;
      });
      if (claimed) return;
      // Admitted a moment ago, claimed by another sign-up since: this account must not outlive the refusal.
      // (A first account that presented a token for no invitation at all has nothing to claim.)
      const exists = await db.query.invitations.findFirst({
        where: eq(schema.invitations.tokenHash, tokenHash),
      });
      if (!exists) return;
      await db.delete(schema.users).where(eq(schema.users.id, user.id));
      throw new APIError("CONFLICT", {
        message: "This invitation has just been used by someone else",
        code: "INVITATION_ALREADY_USED",
      });
    },
  };
}

/** What the sign-up page needs to know: no secrets, no counts beyond "is this the first account". */
export async function signUpMode(deps: Pick<ApiDeps, "db" | "settings" | "mailer">) {
  const { signupMode } = await readSiteSettings(deps.db, deps.settings.siteDefaults);
  return {
    mode: signupMode,
    firstAccount: await isFirstAccount(deps.db),
    emailVerification: deps.mailer !== null,
  };
}
