// A task's workspace as a step sees it: one working tree per active repository of the task, cloned on first
// use with a token of whoever may push there (the GitHub App's installation, else the person who started the
// run) and reused by every later step and run of the task.
import { schema } from "@crewdeck/db";
import { GitHubError, type ProjectRepository, repositoryGitAccess } from "@crewdeck/github";
import { and, asc, eq } from "drizzle-orm";
import type { Engine } from "../engine";
import { EngineError } from "../errors";
import { ROLE_CATALOG } from "../roles/catalog";
import { logRun } from "../runs/run-log";
import type { AgentRow, RunRow, TaskRow } from "../runs/step-context";
import type { ToolRepository, ToolWorkspace } from "../tools/registry";
import type { CodeDeps } from "./code-deps";

export type WorkspaceRepository = {
  row: ProjectRepository;
  /** The working tree's directory under the workspace root (the repository's name). */
  dir: string;
  baseBranch: string;
  tool: ToolRepository;
};

export type TaskWorkspace = {
  tool: ToolWorkspace;
  taskBranch: string;
  repositories: WorkspaceRepository[];
};

/** The project repositories the task may touch, in a stable order. */
export async function loadTaskRepositories(engine: Engine, taskId: string): Promise<ProjectRepository[]> {
  const rows = await engine.db
    .select({ repository: schema.projectRepositories })
    .from(schema.taskRepositories)
    .innerJoin(
      schema.projectRepositories,
      eq(schema.projectRepositories.id, schema.taskRepositories.repositoryId),
    )
    .where(
      and(
        eq(schema.taskRepositories.taskId, taskId),
        eq(schema.taskRepositories.isActive, true),
        eq(schema.projectRepositories.isActive, true),
      ),
    )
    .orderBy(asc(schema.projectRepositories.fullName));
  return rows.map((r) => r.repository);
}

/**
 * The workspace for a step of a role that touches code, or undefined when the step works without one (the
 * engine has no code collaborator, the role reads no code, the task has no repositories, or no GitHub
 * credentials reach them: the step then runs as before and the run's log says why).
 */
export async function openStepWorkspace(
  engine: Engine,
  { run, task, agent }: { run: RunRow; task: TaskRow; agent: AgentRow },
  signal?: AbortSignal,
): Promise<TaskWorkspace | undefined> {
  const code = engine.code;
  if (!code || !ROLE_CATALOG[agent.role].touchesCode) return undefined;
  return openTaskWorkspace(engine, code, { run, task }, signal);
}

export async function openTaskWorkspace(
  engine: Engine,
  code: CodeDeps,
  { run, task }: { run: RunRow; task: TaskRow },
  signal?: AbortSignal,
): Promise<TaskWorkspace | undefined> {
  const rows = await loadTaskRepositories(engine, task.id);
  if (rows.length === 0) return undefined;
  const repositories: WorkspaceRepository[] = [];
  let taskBranch = "";
  let root = "";
  for (const row of rows) {
    const access = await gitAccess(engine, code, row, run);
    if (!access) return undefined;
    const baseBranch = task.branch?.trim() || row.defaultBranch;
    const opened = await code.workspaces
      .open({
        taskId: task.id,
        taskTitle: task.title,
        repositories: [{ name: row.name, cloneUrl: access.cloneUrl, baseBranch }],
        token: access.token,
        signal,
      })
      .catch((error: unknown) => {
        throw new EngineError("CONFLICT", `The workspace could not be prepared: ${messageOf(error)}`);
      });
    const tool = opened.repositories[0];
    if (!tool) continue;
    root = opened.root;
    taskBranch = opened.taskBranch;
    repositories.push({ row, dir: row.name, baseBranch: tool.baseBranch, tool });
  }
  if (repositories.length === 0) return undefined;
  return {
    tool: {
      root,
      repositories: repositories.map((r) => r.tool),
      network: await projectAllowsNetwork(engine, task),
    },
    taskBranch,
    repositories,
  };
}

/** Whether the task's project lets agents' sandboxed commands reach the network (an owner's setting, off by default). */
async function projectAllowsNetwork(engine: Engine, task: TaskRow): Promise<boolean> {
  if (!task.projectId) return false;
  const [project] = await engine.db
    .select({ agentNetwork: schema.projects.agentNetwork })
    .from(schema.projects)
    .where(eq(schema.projects.id, task.projectId))
    .limit(1);
  return project?.agentNetwork ?? false;
}

/** A clone URL and a token for one git command; none (logged) when no GitHub credentials reach the repository. */
export async function gitAccess(engine: Engine, code: CodeDeps, row: ProjectRepository, run: RunRow) {
  try {
    return await repositoryGitAccess(code.github, row, run.startedById);
  } catch (error) {
    if (error instanceof GitHubError && error.code === "CONFLICT") {
      await logRun(
        engine.db,
        run.id,
        `No workspace for ${row.fullName}: ${error.message} The crew works without repository tools.`,
        "warn",
      );
      return null;
    }
    throw new EngineError("CONFLICT", `GitHub refused access to ${row.fullName}: ${messageOf(error)}`);
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
