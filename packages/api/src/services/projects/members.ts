// Project membership: owners manage who reads (viewer) and who works (maintainer) in their project.
import { type Executor, preparedOn, schema } from "@crewdeck/db";
import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { conflict, notFound } from "../../errors";
import { iso } from "../../lib/schemas";

type MemberRole = (typeof schema.MEMBER_ROLES)[number];

/** Every project detail lists its members: the statement is built once per executor. */
const membersOf = preparedOn((db) =>
  db
    .select({ member: schema.projectMembers, user: schema.users })
    .from(schema.projectMembers)
    .innerJoin(schema.users, eq(schema.users.id, schema.projectMembers.userId))
    .where(eq(schema.projectMembers.projectId, sql.placeholder("projectId")))
    .orderBy(asc(schema.projectMembers.createdAt))
    .prepare(),
);

export async function listMembers(db: Executor, projectId: string) {
  const rows = await membersOf(db).all({ projectId });
  return rows.map(({ member, user }) => ({
    userId: user.id,
    name: user.name,
    username: user.displayUsername ?? user.username ?? null,
    email: user.email,
    avatarUrl: user.image ?? null,
    role: member.role,
    joinedAt: iso(member.createdAt),
  }));
}

async function memberOrThrow(db: Executor, projectId: string, userId: string) {
  const member = await db.query.projectMembers.findFirst({
    where: and(eq(schema.projectMembers.projectId, projectId), eq(schema.projectMembers.userId, userId)),
  });
  if (!member) throw notFound("Member");
  return member;
}

async function findMemberDto(db: Executor, projectId: string, userId: string) {
  const member = (await listMembers(db, projectId)).find((m) => m.userId === userId);
  if (!member) throw notFound("Member");
  return member;
}

/** A project always keeps at least one owner. */
async function assertAnotherOwner(db: Executor, projectId: string, userId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(schema.projectMembers)
    .where(
      and(
        eq(schema.projectMembers.projectId, projectId),
        eq(schema.projectMembers.role, "owner"),
        ne(schema.projectMembers.userId, userId),
      ),
    );
  if ((row?.n ?? 0) === 0)
    throw conflict("A project needs at least one owner: make someone else owner first");
}

/** If the recorded owner steps down or leaves, another owner takes the project over. */
async function handOverIfOwner(db: Executor, projectId: string, leavingUserId: string) {
  const project = await db.query.projects.findFirst({ where: eq(schema.projects.id, projectId) });
  if (project?.ownerId !== leavingUserId) return;
  const heir = await db.query.projectMembers.findFirst({
    where: and(
      eq(schema.projectMembers.projectId, projectId),
      eq(schema.projectMembers.role, "owner"),
      ne(schema.projectMembers.userId, leavingUserId),
    ),
  });
  if (heir)
    await db.update(schema.projects).set({ ownerId: heir.userId }).where(eq(schema.projects.id, projectId));
}

export async function updateMemberRole({ db }: ApiDeps, projectId: string, userId: string, role: MemberRole) {
  return db.transaction(async (tx) => {
    const member = await memberOrThrow(tx, projectId, userId);
    if (member.role === "owner" && role !== "owner") {
      await assertAnotherOwner(tx, projectId, userId);
      await handOverIfOwner(tx, projectId, userId);
    }
    await tx
      .update(schema.projectMembers)
      .set({ role })
      .where(and(eq(schema.projectMembers.projectId, projectId), eq(schema.projectMembers.userId, userId)));
    return findMemberDto(tx, projectId, userId);
  });
}

export async function removeMember({ db }: ApiDeps, projectId: string, userId: string) {
  await db.transaction(async (tx) => {
    const member = await memberOrThrow(tx, projectId, userId);
    if (member.role === "owner") {
      await assertAnotherOwner(tx, projectId, userId);
      await handOverIfOwner(tx, projectId, userId);
    }
    await tx
      .delete(schema.projectMembers)
      .where(and(eq(schema.projectMembers.projectId, projectId), eq(schema.projectMembers.userId, userId)));
  });
}
