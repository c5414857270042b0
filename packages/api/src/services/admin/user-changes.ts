// What an administrator changes about someone else's account: their site role, a ban, the account itself.
import { type Executor, schema } from "@crewdeck/db";
import { and, eq, exists, isNotNull, isNull, lte, ne, or } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { ApiDeps, RequestInfo } from "../../context";
import { conflict, invalid, notFound } from "../../errors";
import type { UserRow } from "../../lib/viewer";
import { type AuditEvent, recordAuditEvent } from "../audit/audit";
import { deleteAccount } from "../users/account";

type Deps = ApiDeps & Pick<RequestInfo, "headers" | "clientIp">;

/** What an administrator's change to an account amounts to, as audit events. */
function auditedChanges(target: UserRow, values: UserValues): Pick<AuditEvent, "action" | "details">[] {
  const events: Pick<AuditEvent, "action" | "details">[] = [];
  if (values.role && values.role !== target.role) {
    events.push({ action: "admin.role_changed", details: { from: target.role, to: values.role } });
  }
  if (values.banned === true) {
    events.push({
      action: "admin.user_banned",
      details: { reason: values.banReason ?? null, expires: values.banExpires?.toISOString() ?? null },
    });
  }
  if (values.banned === false && isBanned(target))
    events.push({ action: "admin.user_unbanned", details: {} });
  return events;
}

import { findUserOrThrow, getUserItem, isBanned } from "./users";

const u = schema.users;

export type UserChanges = {
  role?: "user" | "admin" | undefined;
  banned?: boolean | undefined;
  banReason?: string | null | undefined;
  /** ISO time; null for a ban without end. */
  banExpires?: string | null | undefined;
};

type UserValues = Partial<typeof schema.users.$inferInsert>;

/**
 * An unban clears the reason and expiry; a ban keeps the reason and expiry of the ban it extends unless
 * they are given; and a reason or expiry alone may only adjust a ban that is in force.
 */
function banValues(target: UserRow, { banned, banReason, banExpires }: UserChanges): UserValues {
  const detailField = banReason !== undefined ? "banReason" : banExpires !== undefined ? "banExpires" : null;
  if (banned === false) {
    if (detailField) {
      throw invalid("Lifting a ban clears its reason and expiry: leave them out", [
        { field: detailField, message: "Only with banned: true" },
      ]);
    }
    return { banned: false, banReason: null, banExpires: null };
  }
  const expires = banExpires === undefined || banExpires === null ? banExpires : new Date(banExpires);
  if (expires && expires.getTime() <= Date.now()) {
    throw invalid("A ban must end in the future", [
      { field: "banExpires", message: "Must be in the future" },
    ]);
  }
  const inForce = isBanned(target);
  if (banned === true) {
    return {
      banned: true,
      banReason: banReason !== undefined ? banReason : inForce ? target.banReason : null,
      banExpires: expires !== undefined ? expires : inForce ? target.banExpires : null,
    };
  }
  if (!detailField) return {};
  if (!inForce) {
    throw invalid("This user is not banned: send banned: true with the reason or expiry", [
      { field: detailField, message: "Only for a banned user" },
    ]);
  }
  return {
    ...(banReason !== undefined && { banReason }),
    ...(expires !== undefined && { banExpires: expires }),
  };
}

/** True while some administrator other than `userId` can still act (is not banned). */
function anotherActiveAdmin(db: Executor, userId: string) {
  const other = alias(u, "other_admin");
  return exists(
    db
      .select({ id: other.id })
      .from(other)
      .where(
        and(
          eq(other.role, "admin"),
          ne(other.id, userId),
          or(
            eq(other.banned, false),
            isNull(other.banned),
            and(isNotNull(other.banExpires), lte(other.banExpires, new Date())),
          ),
        ),
      ),
  );
}

/**
 * Changes a user's role or ban. A ban ends all their sessions at once, so their tokens stop working on the
 * next request; API keys stay, refused while the ban lasts. Nobody demotes or bans themselves, and the
 * site never loses its last administrator.
 */
export async function updateUser(deps: Deps, actor: UserRow, userId: string, changes: UserChanges) {
  const { db } = deps;
  const target = await findUserOrThrow(db, userId);
  const values: UserValues = { ...banValues(target, changes) };
  if (changes.role) values.role = changes.role;
  const removesAdmin = target.role === "admin" && (values.role === "user" || values.banned === true);
  if (removesAdmin && target.id === actor.id) {
    throw conflict("You cannot demote or ban yourself: ask another administrator");
  }
  if (Object.keys(values).length > 0) {
    await db.transaction(async (tx) => {
      // The check sits in the UPDATE itself, so two admins demoting each other at once cannot both win.
      const updated = await tx
        .update(u)
        .set(values)
        .where(removesAdmin ? and(eq(u.id, userId), anotherActiveAdmin(tx, userId)) : eq(u.id, userId))
        .returning({ id: u.id });
      if (updated.length === 0) {
        if (!removesAdmin) throw notFound("User");
        throw conflict("This is the last administrator: make someone else admin first");
      }
      if (values.banned) await tx.delete(schema.sessions).where(eq(schema.sessions.userId, userId));
      for (const event of auditedChanges(target, values)) {
        await recordAuditEvent(
          tx,
          { ...event, actorUserId: actor.id, subjectUserId: userId, request: deps },
          deps.engine.logger,
        );
      }
    });
    if (values.banned) deps.eventStreams.recheckUser(userId);
  }
  return getUserItem(db, userId);
}

/** Deletes someone else's account as the account endpoint would: shared projects go to another owner. */
export async function deleteUser(deps: Deps, actor: UserRow, userId: string) {
  if (userId === actor.id) {
    throw conflict("Delete your own account with DELETE /users/me, not through administration");
  }
  const target = await findUserOrThrow(deps.db, userId);
  await deleteAccount(deps, target, { action: "admin.user_deleted", actorUserId: actor.id });
}
