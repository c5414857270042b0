// Projects, and what a member's role lets them do: viewers read, maintainers also write, owners also
// manage members, repositories and deletion (§1 Roles).

export const PROJECT_TYPES = [
  "web-app",
  "mobile-app",
  "api",
  "microservice",
  "library",
  "saas",
  "other",
] as const;
export const PROJECT_STATUSES = ["planning", "in-progress", "review", "completed", "on-hold"] as const;
/** Highest rank first, the order a role picker lists them. */
export const MEMBER_ROLES = ["owner", "maintainer", "viewer"] as const;

export type ProjectType = (typeof PROJECT_TYPES)[number];
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];

const RANK: Record<MemberRole, number> = { viewer: 0, maintainer: 1, owner: 2 };

/** Whether `role` may do what `minimum` may: each role can do everything the ones below it can. */
export const roleAtLeast = (role: MemberRole, minimum: MemberRole): boolean => RANK[role] >= RANK[minimum];

export const REPOSITORY_TYPES = ["frontend", "backend", "mobile", "infrastructure", "other"] as const;
export const SYNC_STATUSES = ["pending", "synced", "error"] as const;

export type RepositoryType = (typeof REPOSITORY_TYPES)[number];
export type SyncStatus = (typeof SYNC_STATUSES)[number];
