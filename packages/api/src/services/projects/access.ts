import { type Executor, schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";

export type MemberRole = (typeof schema.MEMBER_ROLES)[number];

const RANK: Record<MemberRole, number> = { viewer: 0, maintainer: 1, owner: 2 };

export const roleAtLeast = (role: MemberRole, minimum: MemberRole): boolean => RANK[role] >= RANK[minimum];

/** The project and the caller's role in it, or null when the caller is not a member (or it does not exist). */
export async function findMembership(db: Executor, projectId: string, userId: string) {
  const [row] = await db
    .select({ project: schema.projects, role: schema.projectMembers.role })
    .from(schema.projectMembers)
    .innerJoin(schema.projects, eq(schema.projects.id, schema.projectMembers.projectId))
    .where(and(eq(schema.projectMembers.projectId, projectId), eq(schema.projectMembers.userId, userId)))
    .limit(1);
  return row ?? null;
}
