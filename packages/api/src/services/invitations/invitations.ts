// Invitations: to the site (an administrator's, for sign-up by invitation) and to a project (its owner's,
// or an administrator's). The link's token is shown once, to the inviter; only its hash is kept.
import { randomBytes } from "node:crypto";
import { hashToken } from "@crewdeck/auth";
import { type Executor, iso, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import type { MemberRole } from "@crewdeck/domain";
import { notifyUser, publishNotification, transactionWithEvents } from "@crewdeck/engine";
import { and, count, desc, eq, gt, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict, forbidden, invalid, notFound } from "../../errors";
import { type Actor, actorOf, type Viewer } from "../../lib/viewer";
import { inCredentialReach, requireProjectRole } from "../projects/access";
import { invitationEmail } from "./emails";

/** How long a link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

type InvitationRow = typeof schema.invitations.$inferSelect;
type Deps = Pick<ApiDeps, "db" | "settings" | "mailer" | "engine">;
/** The person who invites, accepts or declines. */
export type Person = Actor & { name: string; email: string };

export const personOf = (viewer: Viewer): Person => ({
  ...actorOf(viewer),
  name: viewer.user.name,
  email: viewer.user.email,
});

const t = schema.invitations;

export const newInvitationToken = (): string => `inv_${randomBytes(32).toString("base64url")}`;
export const invitationLink = (appUrl: string, token: string): string => `${appUrl}/invite/${token}`;

/** Neither used, declined nor revoked, and not past its expiry. */
export const isPending = (now: Date): SQL =>
  and(isNull(t.acceptedAt), isNull(t.declinedAt), isNull(t.revokedAt), gt(t.expiresAt, now)) as SQL;

export function invitationStatus(row: InvitationRow, now: Date) {
  if (row.acceptedAt) return "accepted" as const;
  if (row.declinedAt) return "declined" as const;
  if (row.revokedAt) return "revoked" as const;
  if (row.expiresAt.getTime() <= now.getTime()) return "expired" as const;
  return "pending" as const;
}

/** Why an invitation that is not pending cannot be used, in words a person can act on. */
export function notPendingReason(row: InvitationRow, now: Date): string {
  const status = invitationStatus(row, now);
  if (status === "expired") return "This invitation has expired: ask for a new one";
  if (status === "revoked") return "This invitation was withdrawn";
  if (status === "declined") return "This invitation was declined";
  return "This invitation has already been used";
}

const withNames = (db: Executor) =>
  db
    .select({ invitation: t, projectName: schema.projects.name, inviterName: schema.users.name })
    .from(t)
    .leftJoin(schema.projects, eq(schema.projects.id, t.projectId))
    .innerJoin(schema.users, eq(schema.users.id, t.invitedById));

type NamedRow = { invitation: InvitationRow; projectName: string | null; inviterName: string };

const toDto = ({ invitation: row, projectName, inviterName }: NamedRow, now: Date) => ({
  id: row.id,
  email: row.email,
  userId: row.inviteeId,
  projectId: row.projectId,
  projectName,
  role: row.role,
  invitedBy: { id: row.invitedById, name: inviterName },
  status: invitationStatus(row, now),
  expiresAt: iso(row.expiresAt),
  createdAt: iso(row.createdAt),
});

export type InvitationDto = ReturnType<typeof toDto>;

async function findNamed(db: Executor, id: string): Promise<NamedRow | undefined> {
  const [row] = await withNames(db).where(eq(t.id, id)).limit(1);
  return row;
}

/** Once an invitation is answered or withdrawn, the notice that asked for an answer goes too. */
async function removeNotices(db: Executor, invitationIds: string[]) {
  if (invitationIds.length === 0) return;
  await db
    .delete(schema.notifications)
    .where(
      and(
        eq(schema.notifications.type, INVITATION_NOTICE),
        inArray(sql`json_extract(${schema.notifications.data}, '$.invitationId')`, invitationIds),
      ),
    );
}

const INVITATION_NOTICE = "project_invitation";

/** A project invitation needs its owner; an administrator may invite to any project. */
async function assertMayManageProject(db: Executor, actor: Actor, projectId: string) {
  if (actor.role === "admin") {
    const project = await db.query.projects.findFirst({ where: eq(schema.projects.id, projectId) });
    if (!project) throw notFound("Project");
    return;
  }
  await requireProjectRole(db, projectId, actor.userId, "owner");
}

const assertAdmin = (actor: Actor) => {
  if (actor.role !== "admin") throw forbidden("Administrators only");
};

/** The members list shows every member's address to the owner, so saying "already a member" tells them nothing new. */
async function assertNotMember(
  db: Executor,
  projectId: string,
  invitee: { email: string | null; userId: string | null },
) {
  const [row] = await db
    .select({ userId: schema.projectMembers.userId })
    .from(schema.projectMembers)
    .innerJoin(schema.users, eq(schema.users.id, schema.projectMembers.userId))
    .where(
      and(
        eq(schema.projectMembers.projectId, projectId),
        invitee.userId ? eq(schema.users.id, invitee.userId) : eq(schema.users.email, invitee.email ?? ""),
      ),
    )
    .limit(1);
  if (row) throw conflict("That person is already a member of this project");
}

export type CreateInvitationInput = {
  email?: string | undefined;
  userId?: string | undefined;
  projectId?: string | undefined;
  role?: MemberRole | undefined;
};

/**
 * Creates an invitation and answers its link, once. The answer is the same whether or not the invitee has
 * an account, so inviting cannot be used to look people up; someone who has one also finds it in the app.
 */
export async function createInvitation(
  deps: Deps,
  inviter: Person,
  input: CreateInvitationInput,
  now = new Date(),
) {
  const { db } = deps;
  const email = input.email ? input.email.trim().toLowerCase() : null;
  const inviteeId = input.userId ?? null;
  const projectId = input.projectId ?? null;
  if (projectId) {
    await assertMayManageProject(db, inviter, projectId);
    if (!email && !inviteeId) {
      throw invalid("A project invitation is for someone: give their email", [
        { field: "email", message: "Required for a project invitation" },
      ]);
    }
    await assertNotMember(db, projectId, { email, userId: inviteeId });
  } else {
    assertAdmin(inviter);
    if (inviteeId) {
      throw invalid(
        "A site invitation is for someone without an account: give an email, or none for a link",
        [{ field: "userId", message: "Only for project invitations" }],
      );
    }
    if (input.role) {
      throw invalid("A role belongs to a project invitation", [
        { field: "role", message: "Give a projectId" },
      ]);
    }
  }
  const role = projectId ? (input.role ?? "viewer") : null;
  const token = newInvitationToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);

  const id = await db.transaction(async (tx) => {
    // The newest invitation of a person to the same place replaces the pending ones: only the last link works.
    if (email || inviteeId) {
      const replaced = await tx
        .update(t)
        .set({ revokedAt: now })
        .where(
          and(
            isPending(now),
            projectId ? eq(t.projectId, projectId) : isNull(t.projectId),
            inviteeId ? eq(t.inviteeId, inviteeId) : eq(t.email, email ?? ""),
          ),
        )
        .returning({ id: t.id });
      await removeNotices(
        tx,
        replaced.map((r) => r.id),
      );
    }
    const [row] = await tx
      .insert(t)
      .values({
        email,
        inviteeId,
        projectId,
        role,
        invitedById: inviter.userId,
        tokenHash: hashToken(token),
        expiresAt,
      })
      .returning({ id: t.id });
    if (!row) throw new Error("invitation insert returned nothing");
    return row.id;
  });
  const named = await findNamed(db, id);
  if (!named) throw new Error("the invitation just stored is gone");
  const link = invitationLink(deps.settings.appUrl, token);

  if (projectId) await notifyInvitee(deps, named);
  // Mail goes to the address given, never to one looked up, so the answer says nothing about accounts.
  let emailSent = false;
  if (deps.mailer && email) {
    try {
      await deps.mailer.send(
        invitationEmail({
          to: email,
          inviterName: inviter.name,
          projectName: named.projectName,
          role,
          link,
          expiresAt,
        }),
      );
      emailSent = true;
    } catch (error) {
      deps.engine.logger.error("The invitation mail could not be sent", error);
    }
  }
  return { invitation: toDto(named, now), link, emailSent };
}

/** Someone invited to a project who already has an account hears of it in the app. */
async function notifyInvitee(deps: Deps, named: NamedRow) {
  const { invitation } = named;
  const invitee = await deps.db.query.users.findFirst({
    where: invitation.inviteeId
      ? eq(schema.users.id, invitation.inviteeId)
      : eq(schema.users.email, invitation.email ?? ""),
  });
  if (!invitee) return;
  // The notice and its event commit together (the outbox).
  await transactionWithEvents(deps.engine, (tx, events) =>
    notifyUser(
      tx,
      {
        userId: invitee.id,
        type: INVITATION_NOTICE,
        title: `Invitation to ${named.projectName}`,
        message: `${named.inviterName} invited you to the project "${named.projectName}" as ${invitation.role}.`,
        // The overview lists pending invitations; the project itself stays closed until they accept.
        data: { invitationId: invitation.id, projectId: invitation.projectId, link: "/" },
      },
      { onCreated: publishNotification(events) },
    ),
  );
}

/** Pending invitations: a project's (its owner or an administrator), or the site's (administrators). */
export async function listInvitations(
  { db }: Pick<ApiDeps, "db">,
  actor: Actor,
  filter: { projectId?: string | undefined },
  pageRequest: PageRequest,
  now = new Date(),
) {
  if (filter.projectId) await assertMayManageProject(db, actor, filter.projectId);
  else assertAdmin(actor);
  const where = and(
    isPending(now),
    filter.projectId ? eq(t.projectId, filter.projectId) : isNull(t.projectId),
  );
  const [rows, [total]] = await Promise.all([
    withNames(db)
      .where(where)
      .orderBy(desc(t.createdAt))
      .limit(pageRequest.limit)
      .offset(pageOffset(pageRequest)),
    db.select({ n: count() }).from(t).where(where),
  ]);
  return toPage(
    rows.map((row) => toDto(row, now)),
    total?.n ?? 0,
    pageRequest,
  );
}

/** The inviter, an owner of the project, or an administrator withdraws a pending invitation. */
export async function revokeInvitation(
  { db }: Pick<ApiDeps, "db">,
  actor: Actor,
  id: string,
  now = new Date(),
) {
  const row = await db.query.invitations.findFirst({ where: eq(t.id, id) });
  // A key limited to one project reaches that project's invitations only, even those its owner sent.
  if (!row || !inCredentialReach(row.projectId)) throw notFound("Invitation");
  if (actor.role !== "admin" && row.invitedById !== actor.userId) {
    // Anyone else learns nothing of it.
    const owner = row.projectId
      ? await requireProjectRole(db, row.projectId, actor.userId, "owner").catch(() => null)
      : null;
    if (!owner) throw notFound("Invitation");
  }
  const revoked = await db.transaction(async (tx) => {
    const [done] = await tx
      .update(t)
      .set({ revokedAt: now })
      .where(and(eq(t.id, id), isPending(now)))
      .returning({ id: t.id });
    if (done) await removeNotices(tx, [id]);
    return done;
  });
  if (!revoked) throw conflict(notPendingReason(row, now));
}

/** Addressed to this person: by their account's id, or by their account's address. */
const addressedTo = (person: Person): SQL =>
  or(eq(t.inviteeId, person.userId), eq(t.email, person.email.toLowerCase())) as SQL;

/** The project invitations waiting for this person's answer. */
export async function myInvitations({ db }: Pick<ApiDeps, "db">, person: Person, now = new Date()) {
  const rows = await withNames(db)
    .where(and(isPending(now), addressedTo(person)))
    .orderBy(desc(t.createdAt));
  // A site invitation means nothing to someone who already has an account.
  return { items: rows.filter((r) => r.invitation.projectId).map((r) => toDto(r, now)) };
}

async function addressedInvitation(db: Executor, person: Person, id: string) {
  const row = await db.query.invitations.findFirst({ where: and(eq(t.id, id), addressedTo(person)) });
  if (!row?.projectId) throw notFound("Invitation");
  return row;
}

/** Joins the project with the invitation's role; the invitation is used up in the same transaction. */
export async function acceptInvitation(
  deps: Pick<ApiDeps, "db">,
  person: Person,
  id: string,
  now = new Date(),
) {
  const joined = await deps.db.transaction(async (tx) => {
    const row = await addressedInvitation(tx, person, id);
    const [claimed] = await tx
      .update(t)
      .set({ acceptedAt: now, acceptedById: person.userId })
      .where(and(eq(t.id, id), isPending(now)))
      .returning();
    if (!claimed?.projectId || !claimed.role) throw conflict(notPendingReason(row, now));
    await tx
      .insert(schema.projectMembers)
      .values({ projectId: claimed.projectId, userId: person.userId, role: claimed.role })
      .onConflictDoNothing();
    await removeNotices(tx, [id]);
    return claimed;
  });
  const named = await findNamed(deps.db, joined.id);
  return {
    projectId: joined.projectId as string,
    projectName: named?.projectName ?? "",
    role: joined.role as MemberRole,
  };
}

/** Accepts the invitation a link carries, when it was sent to this person. */
export async function acceptInvitationByToken(
  deps: Pick<ApiDeps, "db">,
  person: Person,
  token: string,
  now = new Date(),
) {
  const row = await deps.db.query.invitations.findFirst({ where: eq(t.tokenHash, hashToken(token)) });
  if (!row) throw notFound("Invitation");
  if (!row.projectId) throw conflict("This invitation is for creating an account; you already have one");
  const forMe =
    row.inviteeId === person.userId || (row.email !== null && row.email === person.email.toLowerCase());
  if (!forMe)
    throw forbidden(
      "This invitation was sent to another email address: sign in with that account to accept it",
    );
  return acceptInvitation(deps, person, row.id, now);
}

export async function declineInvitation(
  { db }: Pick<ApiDeps, "db">,
  person: Person,
  id: string,
  now = new Date(),
) {
  const row = await addressedInvitation(db, person, id);
  const declined = await db.transaction(async (tx) => {
    const [done] = await tx
      .update(t)
      .set({ declinedAt: now })
      .where(and(eq(t.id, id), isPending(now)))
      .returning({ id: t.id });
    if (done) await removeNotices(tx, [id]);
    return done;
  });
  if (!declined) throw conflict(notPendingReason(row, now));
}
