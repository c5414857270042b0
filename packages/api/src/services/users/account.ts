// Data portability and account deletion (seed 004): everything a user owns, out or gone.

import { type Database, schema } from "@crewdeck/db";
import { and, count, eq, inArray, ne, or } from "drizzle-orm";
import type { ApiDeps, RequestInfo } from "../../context";
import { conflict } from "../../errors";
import type { UserRow } from "../../lib/viewer";
import { recordAuditEvent } from "../audit/audit";
import { deleteProjectLimits, deleteUserLimits } from "../budgets/scope-cleanup";
import { sweepOrphanedFiles } from "../files/storage";
import { getProfile } from "./profile";

/** Every record the user owns, as one JSON document. Secrets (password hashes, tokens, keys) are left out. */
export async function exportAccount(deps: ApiDeps, user: UserRow) {
  const { db } = deps;
  const ownedProjects = await db.query.projects.findMany({ where: eq(schema.projects.ownerId, user.id) });
  const projectIds = ownedProjects.map((p) => p.id);
  const inOwned = <T extends { projectId: unknown }>(table: T) =>
    inArray(table.projectId as typeof schema.agents.projectId, projectIds);
  const [memberships, repositories, agents, sessions, apiKeys, conversations, messages, tasks, files] =
    await Promise.all([
      db.query.projectMembers.findMany({ where: eq(schema.projectMembers.userId, user.id) }),
      db.query.projectRepositories.findMany({ where: inOwned(schema.projectRepositories) }),
      db.query.agents.findMany({ where: inOwned(schema.agents) }),
      db.query.sessions.findMany({
        where: eq(schema.sessions.userId, user.id),
        columns: { id: true, ipAddress: true, userAgent: true, createdAt: true, expiresAt: true },
      }),
      db.query.apiKeys.findMany({
        where: eq(schema.apiKeys.referenceId, user.id),
        columns: { id: true, name: true, start: true, createdAt: true, expiresAt: true, lastRequest: true },
      }),
      db.query.conversations.findMany({ where: eq(schema.conversations.createdById, user.id) }),
      db.query.messages.findMany({ where: eq(schema.messages.userId, user.id) }),
      db.query.tasks.findMany({ where: eq(schema.tasks.createdById, user.id) }),
      db.query.files.findMany({ where: eq(schema.files.uploaderId, user.id) }),
    ]);
  const inv = schema.invitations;
  // An invitation's link works once and was shown once: its token (even hashed) stays out of any export.
  const withoutToken = { tokenHash: false } as const;
  const [usage, notifications, budgetLimits, invitationsSent, invitationsReceived] = await Promise.all([
    db.query.usageRecords.findMany({ where: eq(schema.usageRecords.userId, user.id) }),
    db.query.notifications.findMany({ where: eq(schema.notifications.userId, user.id) }),
    db.query.budgetLimits.findMany({ where: eq(schema.budgetLimits.createdById, user.id) }),
    db.query.invitations.findMany({ where: eq(inv.invitedById, user.id), columns: withoutToken }),
    // Addressed to the person by account or by address, or taken up by them (a site link has neither).
    db.query.invitations.findMany({
      where: or(
        eq(inv.inviteeId, user.id),
        eq(inv.email, user.email.toLowerCase()),
        eq(inv.acceptedById, user.id),
      ),
      columns: withoutToken,
    }),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    format: "crewdeck-account-export/1",
    user: await getProfile(deps, user),
    projects: ownedProjects,
    memberships,
    repositories,
    agents,
    sessions,
    apiKeys,
    conversations,
    messages,
    tasks,
    files,
    usage,
    notifications,
    budgetLimits,
    invitations: { sent: invitationsSent, received: invitationsReceived },
  };
}

async function otherAdminCount(db: Database, userId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(schema.users)
    .where(and(eq(schema.users.role, "admin"), ne(schema.users.id, userId)));
  return row?.n ?? 0;
}

/**
 * Deletes the account and everything it alone owns. A project it owns with another owner is handed over
 * to that owner; the rest go with the account. The last administrator of a shared install cannot leave.
 */
/** Who deletes an account, for the audit log: its owner, or an administrator. */
export type AccountDeletion = { action: "user.account_deleted" | "admin.user_deleted"; actorUserId: string };

export async function deleteAccount(
  deps: ApiDeps & Pick<RequestInfo, "headers" | "clientIp">,
  user: UserRow,
  by: AccountDeletion,
) {
  const { db, settings } = deps;
  if (user.role === "admin") {
    const [others] = await db.select({ n: count() }).from(schema.users).where(ne(schema.users.id, user.id));
    if ((others?.n ?? 0) > 0 && (await otherAdminCount(db, user.id)) === 0) {
      throw conflict(
        "You are the last administrator: make another user an admin before deleting your account",
      );
    }
  }
  await db.transaction(async (tx) => {
    const owned = await tx.query.projects.findMany({ where: eq(schema.projects.ownerId, user.id) });
    for (const project of owned) {
      const heir = await tx.query.projectMembers.findFirst({
        where: and(
          eq(schema.projectMembers.projectId, project.id),
          eq(schema.projectMembers.role, "owner"),
          ne(schema.projectMembers.userId, user.id),
        ),
      });
      if (heir) {
        await tx
          .update(schema.projects)
          .set({ ownerId: heir.userId })
          .where(eq(schema.projects.id, project.id));
      } else {
        await deleteProjectLimits(tx, project.id);
        await tx.delete(schema.projects).where(eq(schema.projects.id, project.id));
      }
    }
    await deleteUserLimits(tx, user.id);
    // Sessions, keys, memberships, connections and the rest cascade from the user row.
    await tx.delete(schema.users).where(eq(schema.users.id, user.id));
    await recordAuditEvent(
      tx,
      {
        action: by.action,
        actorUserId: by.actorUserId,
        subjectUserId: user.id,
        request: deps,
        details: { email: user.email, username: user.username ?? null },
      },
      deps.engine.logger,
    );
  });
  // Their uploads' rows went with the account; the bytes go now.
  await sweepOrphanedFiles(db, settings);
  deps.eventStreams.recheckUser(user.id);
}
