// The tasks a user can see, filtered and paged, each with its usage.
import { type Executor, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import { and, count, desc, eq, exists, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { containsText } from "../../lib/search";
import { inCredentialReach, membershipsOf } from "../projects/access";
import { toTaskDto } from "./dto";
import { usageForTasks } from "./usage";

type TaskStatus = schema.TaskStatus;

export type TaskFilters = {
  /** A project id, or `unassigned` for the caller's tasks outside any project. */
  projectId?: string | undefined;
  status?: TaskStatus | undefined;
  priority?: schema.TaskPriority | undefined;
  type?: schema.TaskType | undefined;
  complexity?: schema.TaskComplexity | undefined;
  /** An agent id, `mine` or `unassigned`. */
  assignedTo?: string | undefined;
  issueId?: string | undefined;
  repositoryId?: string | undefined;
  search?: string | undefined;
};

/** Members see their projects' tasks; a task outside any project is its creator's alone. */
const visibleTo = (db: Executor, userId: string): SQL => {
  const t = schema.tasks;
  const memberProjects = db
    .select({ id: schema.projectMembers.projectId })
    .from(schema.projectMembers)
    .where(membershipsOf(userId));
  if (!inCredentialReach(null)) return inArray(t.projectId, memberProjects);
  return or(inArray(t.projectId, memberProjects), and(isNull(t.projectId), eq(t.createdById, userId)))!;
};

function filterConditions(db: Executor, userId: string, filters: TaskFilters): SQL[] {
  const t = schema.tasks;
  const conditions: SQL[] = [visibleTo(db, userId)];
  if (filters.projectId === "unassigned") conditions.push(isNull(t.projectId));
  else if (filters.projectId) conditions.push(eq(t.projectId, filters.projectId));
  if (filters.status) conditions.push(eq(t.status, filters.status));
  if (filters.priority) conditions.push(eq(t.priority, filters.priority));
  if (filters.type) conditions.push(eq(t.type, filters.type));
  if (filters.complexity) conditions.push(eq(t.complexity, filters.complexity));
  // Tasks have no human assignee: seed 000 (the only seed with `mine`) records just the creator
  // (`createdBy`) on a task, so `mine` means the tasks the caller created. `unassigned` means no agent.
  if (filters.assignedTo === "mine") conditions.push(eq(t.createdById, userId));
  else if (filters.assignedTo === "unassigned") conditions.push(isNull(t.assignedToAgentId));
  else if (filters.assignedTo) conditions.push(eq(t.assignedToAgentId, filters.assignedTo));
  if (filters.issueId) conditions.push(eq(t.issueId, filters.issueId));
  if (filters.repositoryId) {
    // The task's main repository, or any repository it may touch (seed 000's multi-repository tasks).
    const tr = schema.taskRepositories;
    const touches = db
      .select({ one: sql`1` })
      .from(tr)
      .where(and(eq(tr.taskId, t.id), eq(tr.repositoryId, filters.repositoryId), eq(tr.isActive, true)));
    conditions.push(or(eq(t.repositoryId, filters.repositoryId), exists(touches))!);
  }
  if (filters.search) {
    conditions.push(
      or(
        containsText(t.title, filters.search),
        containsText(t.description, filters.search),
        containsText(t.prompt, filters.search),
      )!,
    );
  }
  return conditions;
}

/** Newest first. */
export async function listTasks(db: Executor, userId: string, filters: TaskFilters, page: PageRequest) {
  const t = schema.tasks;
  const where = and(...filterConditions(db, userId, filters));
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(t)
      .where(where)
      .orderBy(desc(t.createdAt), desc(t.id))
      .limit(page.limit)
      .offset(pageOffset(page)),
    db.select({ n: count() }).from(t).where(where),
  ]);
  const usage = await usageForTasks(
    db,
    rows.map((r) => r.id),
  );
  const items = rows.map((row) => toTaskDto(row, usage.get(row.id)!));
  return toPage(items, total?.n ?? 0, page);
}
