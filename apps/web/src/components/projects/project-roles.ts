// What a member's project role lets them do (§1 Roles): viewers read, maintainers also change the project
// and its crew, owners also manage members, repositories and deletion. The server enforces it; the screens
// use it only to hide actions that would be refused.
import type { RouterOutputs } from "../../lib/trpc";

export type MemberRole = RouterOutputs["projects"]["get"]["role"];

const RANK: Record<MemberRole, number> = { viewer: 0, maintainer: 1, owner: 2 };

export const hasRole = (role: MemberRole, least: MemberRole): boolean => RANK[role] >= RANK[least];

export const MEMBER_ROLES: readonly MemberRole[] = ["owner", "maintainer", "viewer"];

const ROLE_HINTS: Record<MemberRole, string> = {
  owner: "Manages members, repositories, budgets and deletion",
  maintainer: "Works with tasks, chats and the crew",
  viewer: "Reads everything, changes nothing",
};

export const roleHint = (role: MemberRole): string => ROLE_HINTS[role];
