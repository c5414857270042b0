// One task with everything a task page shows: agent, issue, pull request, progress, result, repositories.

import { type Executor, schema } from "@crewdeck/db";
import { taskProgress } from "@crewdeck/engine";
import { and, asc, desc, eq } from "drizzle-orm";
import { notFound } from "../../errors";
import { type TaskRow, toTaskDto } from "./dto";

export { type TaskProgress, taskProgress } from "@crewdeck/engine";

import { latestRunResult } from "../runs/history";
import { usageForTasks } from "./usage";

/**
 * Every repository of the task's project, with whether the task may touch it. A repository linked to the
 * project after the task was created has no row yet and shows as inactive until someone switches it on.
 */
async function taskRepositories(db: Executor, task: TaskRow) {
  if (!task.projectId) return [];
  const r = schema.projectRepositories;
  const tr = schema.taskRepositories;
  const rows = await db
    .select({ id: r.id, name: r.name, fullName: r.fullName, isActive: tr.isActive })
    .from(r)
    .leftJoin(tr, and(eq(tr.repositoryId, r.id), eq(tr.taskId, task.id)))
    .where(eq(r.projectId, task.projectId))
    .orderBy(asc(r.createdAt), asc(r.id));
  return rows.map((row) => ({ ...row, isActive: row.isActive ?? false }));
}

async function assignedAgent(db: Executor, agentId: string | null) {
  if (!agentId) return null;
  const agent = await db.query.agents.findFirst({
    columns: { id: true, name: true, role: true },
    where: eq(schema.agents.id, agentId),
  });
  return agent ?? null;
}

async function linkedIssue(db: Executor, issueId: string | null) {
  if (!issueId) return null;
  const issue = await db.query.githubIssues.findFirst({
    columns: { id: true, number: true, title: true, state: true, htmlUrl: true },
    where: eq(schema.githubIssues.id, issueId),
  });
  return issue ?? null;
}

async function latestPullRequest(db: Executor, taskId: string) {
  const p = schema.pullRequests;
  const [pr] = await db
    .select({
      id: p.id,
      number: p.number,
      title: p.title,
      state: p.state,
      htmlUrl: p.htmlUrl,
      headBranch: p.headBranch,
      baseBranch: p.baseBranch,
      checksStatus: p.checksStatus,
      mergeable: p.mergeable,
    })
    .from(p)
    .where(eq(p.taskId, taskId))
    .orderBy(desc(p.createdAt), desc(p.id))
    .limit(1);
  return pr ?? null;
}

export async function getTaskDetail(db: Executor, task: TaskRow) {
  const [usage, agent, issue, pullRequest, progress, repositories, result] = await Promise.all([
    usageForTasks(db, [task.id]),
    assignedAgent(db, task.assignedToAgentId),
    linkedIssue(db, task.issueId),
    latestPullRequest(db, task.id),
    taskProgress(db, task.id),
    taskRepositories(db, task),
    task.result ?? latestRunResult(db, task.id),
  ]);
  return {
    ...toTaskDto(task, usage.get(task.id)!),
    assignedAgent: agent,
    issue,
    pullRequest,
    progress,
    result,
    repositories,
  };
}

/** Reads the task again (after a change) and returns its detail. */
export async function reloadTaskDetail(db: Executor, taskId: string) {
  const row = await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) });
  // Deleted by someone else in between.
  if (!row) throw notFound("Task");
  return getTaskDetail(db, row);
}
