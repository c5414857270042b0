// The chats screen's filters live in the address (?projectId=&status=&page=), so a project's page can link
// to its chats and a filtered list survives a reload. These turn the address into filters, and the
// filters into the list procedure's input.
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

export type ChatStatus = RouterOutputs["conversations"]["list"]["items"][number]["status"];

export const CHAT_STATUSES: readonly ChatStatus[] = ["active", "paused", "completed"];

/** The list procedure's word for "the person's own chats outside any project". */
export const UNASSIGNED = "unassigned";

export type ChatFilters = {
  /** A project id, UNASSIGNED, or null for every chat the person can see. */
  projectId: string | null;
  status: ChatStatus | null;
  page: number;
};

export const CHATS_PER_PAGE = 25;

const isChatStatus = (value: string | null): value is ChatStatus =>
  CHAT_STATUSES.some((status) => status === value);

export function readChatFilters(params: URLSearchParams): ChatFilters {
  const status = params.get("status");
  const page = Number(params.get("page"));
  return {
    projectId: params.get("projectId")?.trim() || null,
    status: isChatStatus(status) ? status : null,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The search params for `filters`, leaving defaults out so the plain address is the plain list. */
export function writeChatFilters(filters: ChatFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.projectId) params.set("projectId", filters.projectId);
  if (filters.status) params.set("status", filters.status);
  if (filters.page > 1) params.set("page", String(filters.page));
  return params;
}

export const hasChatFilters = (filters: ChatFilters) => !!(filters.projectId || filters.status);

export function toChatListInput(filters: ChatFilters): RouterInputs["conversations"]["list"] {
  return {
    page: filters.page,
    limit: CHATS_PER_PAGE,
    ...(filters.projectId && { projectId: filters.projectId }),
    ...(filters.status && { status: filters.status }),
  };
}
