// Project member roles in rank order: viewers read, maintainers also write, owners also manage (§1).
import type { schema } from "@crewdeck/db";

export type MemberRole = (typeof schema.MEMBER_ROLES)[number];

const RANK: Record<MemberRole, number> = { viewer: 0, maintainer: 1, owner: 2 };

export const roleAtLeast = (role: MemberRole, minimum: MemberRole): boolean => RANK[role] >= RANK[minimum];
