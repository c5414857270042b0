// What a member's project role lets them do (§1 Roles): viewers read, maintainers also change the project
// and its crew, owners also manage members, repositories and deletion. The server enforces it; the screens
// use it only to hide actions that would be refused, with the roles and ranks it checks (@crewdeck/domain).
import { MEMBER_ROLES, type MemberRole, roleAtLeast } from "@crewdeck/domain";

export { MEMBER_ROLES, type MemberRole };

export const hasRole = roleAtLeast;

const ROLE_HINTS: Record<MemberRole, string> = {
  owner: "Manages members, repositories, budgets and deletion",
  maintainer: "Works with tasks, chats and the crew",
  viewer: "Reads everything, changes nothing",
};

export const roleHint = (role: MemberRole): string => ROLE_HINTS[role];
