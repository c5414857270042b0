import { ISSUE_STATES } from "@crewdeck/domain";
import { z } from "zod";
import { zId, zIsoDate, zPage, zPageInput } from "../../lib/schemas";

export const zIssueListInput = zPageInput.extend({
  state: z.enum([...ISSUE_STATES, "all"]).default("open"),
  label: z.string().trim().min(1).max(100).optional(),
});

export const zIssue = z.object({
  id: z.string(),
  projectId: z.string(),
  repository: z.object({ id: z.string(), fullName: z.string() }),
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullable(),
  state: z.enum(ISSUE_STATES),
  labels: z.array(z.string()),
  author: z.string().nullable(),
  htmlUrl: z.string(),
  /** Tasks filed from the issue so far. */
  taskCount: z.number().int(),
  githubCreatedAt: zIsoDate.nullable(),
  githubUpdatedAt: zIsoDate.nullable(),
  closedAt: zIsoDate.nullable(),
  createdAt: zIsoDate,
  updatedAt: zIsoDate,
});
export const zIssuePage = zPage(zIssue);

export const zIssueRef = z.object({ issueId: zId });

const zCounts = z.object({ synced: z.number().int(), added: z.number().int(), updated: z.number().int() });
export const zSyncResult = z.object({ issues: zCounts, pullRequests: zCounts });

export const zStartIssueResult = z.object({
  /** The `issue` conversation the architect answers in; tasks appear when its reply is complete. */
  conversationId: z.string(),
  /** The opening message (the issue, as the architect is asked to read it). */
  messageId: z.string(),
  issueId: z.string(),
  architect: z.object({ id: z.string(), name: z.string() }),
  status: z.literal("planning"),
});
