import {
  CSS_COLOUR_NAMES,
  MEMBER_ROLES,
  PROJECT_STATUSES,
  PROJECT_TYPES,
  REPOSITORY_TYPES,
  SYNC_STATUSES,
} from "@crewdeck/domain";
import { z } from "zod";
import { zBool, zIsoDate, zPage, zPageInput, zQueryBool } from "../../lib/schemas";

export const zRepositoryType = z.enum(REPOSITORY_TYPES);
export const zMemberRole = z.enum(MEMBER_ROLES);

/** A GitHub repository object as GitHub's API returns it (seed 000 §4.1). */
export const zGithubRepoInput = z.object({
  id: z.number().int().positive().optional(),
  name: z.string().trim().min(1).max(100),
  full_name: z
    .string()
    .trim()
    .regex(/^[\w.-]+\/[\w.-]+$/, "owner/name"),
  html_url: z.url().optional(),
  clone_url: z.url().optional(),
  ssh_url: z.string().max(300).optional(),
  default_branch: z.string().min(1).max(255).optional(),
  language: z.string().max(50).nullable().optional(),
  private: zBool.optional(),
  type: zRepositoryType.optional(),
});

export const zRepository = z.object({
  id: z.string(),
  githubId: z.number().nullable(),
  name: z.string(),
  fullName: z.string(),
  htmlUrl: z.string().nullable(),
  cloneUrl: z.string().nullable(),
  sshUrl: z.string().nullable(),
  defaultBranch: z.string(),
  language: z.string().nullable(),
  isPrivate: z.boolean(),
  type: zRepositoryType,
  isActive: z.boolean(),
  syncStatus: z.enum(SYNC_STATUSES),
  syncError: z.string().nullable(),
  lastSyncAt: zIsoDate.nullable(),
  createdAt: zIsoDate,
});

export const zMember = z.object({
  userId: z.string(),
  name: z.string(),
  username: z.string().nullable(),
  email: z.string(),
  avatarUrl: z.string().nullable(),
  role: zMemberRole,
  joinedAt: zIsoDate,
});

const zStats = z.object({
  openIssues: z.number().int(),
  activeConversations: z.number().int(),
  totalTasks: z.number().int(),
  completedTasks: z.number().int(),
  progress: z.number(),
  todayCostUsd: z.number(),
});

const zProjectBase = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  color: z.string().nullable(),
  type: z.enum(PROJECT_TYPES),
  status: z.enum(PROJECT_STATUSES),
  isActive: z.boolean(),
  ownerId: z.string(),
  role: zMemberRole,
  pipeline: z.array(z.string()),
  /** Whether agents' sandboxed commands may reach the network. */
  agentNetwork: z.boolean(),
  createdAt: zIsoDate,
  updatedAt: zIsoDate,
  repositories: z.array(zRepository),
  stats: zStats,
});

export const zProjectListItem = zProjectBase.extend({
  usage: z.object({ totalTokens: z.number(), totalCostUsd: z.number() }),
});

const zUsageGroup = z.object({ totalTokens: z.number(), totalCostUsd: z.number(), calls: z.number().int() });

export const zProjectDetail = zProjectBase.extend({
  members: z.array(zMember),
  usage: z.object({
    totalTokens: z.number(),
    totalCostUsd: z.number(),
    byModel: z.array(zUsageGroup.extend({ model: z.string() })),
    byAgent: z.array(
      zUsageGroup.extend({ agentId: z.string().nullable(), agentName: z.string().nullable() }),
    ),
  }),
  taskCounts: z.record(z.string(), z.number().int()),
});

export const zListProjectsInput = zPageInput.extend({
  isActive: zQueryBool.optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  type: z.enum(PROJECT_TYPES).optional(),
  search: z.string().trim().max(200).optional(),
});
export const zProjectPage = zPage(zProjectListItem);

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
const COLOUR_NAMES = new Set<string>(CSS_COLOUR_NAMES);
/** `#rrggbb`, or a CSS colour name as seed 003 sends it ("blue"), in any case; stored as sent. */
const zColor = z
  .string()
  .trim()
  .max(30)
  .refine(
    (c) => HEX_COLOUR.test(c) || COLOUR_NAMES.has(c.toLowerCase()),
    "A hex colour like #3b82f6, or a CSS colour name like blue",
  );

export const zCreateProjectInput = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).optional(),
  color: zColor.optional(),
  type: z.enum(PROJECT_TYPES).optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  repositories: z.array(zGithubRepoInput).max(50).optional(),
});

export const zUpdateProjectInput = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(2000).optional(),
  color: zColor.optional(),
  type: z.enum(PROJECT_TYPES).optional(),
  status: z.enum(PROJECT_STATUSES).optional(),
  isActive: zBool.optional(),
  pipeline: z.array(z.string().min(1)).max(20).optional(),
  /** Let agents' sandboxed commands reach the network; only the project's owner may change it. */
  agentNetwork: zBool.optional(),
});

export const zAddMemberInput = z
  .object({ userId: z.string().min(1).optional(), email: z.email().optional(), role: zMemberRole })
  .refine((v) => v.userId || v.email, { message: "Give a userId or an email", path: ["userId"] });

export const zMemberList = z.object({ items: z.array(zMember) });

export const zMemberRef = z.object({ userId: z.string().min(1) });

export const zUpdateMemberInput = zMemberRef.extend({ role: zMemberRole });

export const zRepositoryRef = z.object({ repoId: z.string().min(1) });
