// The tasks screen's filters live in the address (?projectId=&status=&priority=&q=&page=), so a filtered
// board can be bookmarked, shared and reached from a project page. These turn the address into filters and
// the filters into the list procedure's input.
import type { RouterInputs } from "../../lib/trpc";
import { isTaskPriority, isTaskStatus, type TaskPriority, type TaskStatus } from "./task-options";

export type TaskFilters = {
  /** A project id, "unassigned" (tasks outside any project) or null for all. */
  projectId: string | null;
  status: TaskStatus | null;
  priority: TaskPriority | null;
  search: string;
  page: number;
};

export type TaskFilterKey = "projectId" | "status" | "priority" | "q";

/** The API's page size ceiling: one page is the whole board for most teams. */
export const TASKS_PER_PAGE = 100;
const SEARCH_MAX = 200;

export function readTaskFilters(params: URLSearchParams): TaskFilters {
  const status = params.get("status");
  const priority = params.get("priority");
  const page = Number.parseInt(params.get("page") ?? "", 10);
  return {
    projectId: params.get("projectId") || null,
    status: isTaskStatus(status) ? status : null,
    priority: isTaskPriority(priority) ? priority : null,
    search: params.get("q") ?? "",
    page: Number.isFinite(page) && page > 1 ? page : 1,
  };
}

/** A copy of `params` with one filter set (or removed when empty); back to page 1, since the set changed. */
export function withFilter(
  params: URLSearchParams,
  key: TaskFilterKey,
  value: string | null,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(key, value);
  else next.delete(key);
  next.delete("page");
  return next;
}

export function withPage(params: URLSearchParams, page: number): URLSearchParams {
  const next = new URLSearchParams(params);
  if (page > 1) next.set("page", String(page));
  else next.delete("page");
  return next;
}

export const hasFilters = (filters: TaskFilters) =>
  !!(filters.projectId || filters.status || filters.priority || filters.search.trim());

/** Only the filters that are set: the API refuses an empty search, and an absent key means "any". */
export function toTaskListInput(filters: TaskFilters): RouterInputs["tasks"]["list"] {
  const search = filters.search.trim().slice(0, SEARCH_MAX);
  return {
    page: filters.page,
    limit: TASKS_PER_PAGE,
    ...(filters.projectId && { projectId: filters.projectId }),
    ...(filters.status && { status: filters.status }),
    ...(filters.priority && { priority: filters.priority }),
    ...(search && { search }),
  };
}
