// The live events a run sends as it moves: the pipeline, the task's progress, the agents' status.
import { type Executor, schema } from "@crewdeck/db";
import { eq } from "drizzle-orm";
import type { EngineDeps } from "../engine-deps";
import { taskScope } from "../events/scopes";
import { taskProgress } from "./progress";
import { loadRunView } from "./run-view";

type TaskRow = typeof schema.tasks.$inferSelect;
type AgentStatus = (typeof schema.AGENT_STATUSES)[number];

export async function loadTask(db: Executor, taskId: string): Promise<TaskRow | null> {
  return (await db.query.tasks.findFirst({ where: eq(schema.tasks.id, taskId) })) ?? null;
}

/** `pipeline_update` and `task_progress` for the run's current state. */
export async function publishRunState(deps: EngineDeps, runId: string, message: string): Promise<void> {
  const run = await deps.db.query.runs.findFirst({ where: eq(schema.runs.id, runId) });
  const task = run ? await loadTask(deps.db, run.taskId) : null;
  if (!run || !task) return;
  const view = await loadRunView(deps.db, run);
  const scope = taskScope(task);
  await deps.bus.publish({
    type: "pipeline_update",
    scope,
    payload: {
      taskId: task.id,
      runId: run.id,
      runStatus: run.status,
      steps: view.steps.map((s) => ({ agent: s.agent, status: s.status })),
      currentStep: run.currentStep,
    },
  });
  await deps.bus.publish({
    type: "task_progress",
    scope,
    payload: {
      taskId: task.id,
      status: task.status,
      progress: await taskProgress(deps.db, task.id),
      message,
    },
  });
}

export async function publishAgentStatus(
  deps: EngineDeps,
  agent: { id: string; projectId: string },
  status: AgentStatus,
  currentTask: string | null = null,
): Promise<void> {
  await deps.bus.publish({
    type: "agent_status",
    scope: { projectId: agent.projectId },
    payload: { agentId: agent.id, status, currentTask, timestamp: deps.now().toISOString() },
  });
}

/** Sets an agent's status (unless it is paused, which only a person or a limit lifts) and tells its project. */
export async function setAgentWorking(
  deps: EngineDeps,
  agentId: string,
  working: boolean,
  currentTask: string | null,
): Promise<void> {
  const agent = await deps.db.query.agents.findFirst({ where: eq(schema.agents.id, agentId) });
  if (!agent || agent.status === "paused") return;
  const status: AgentStatus = working ? "working" : "idle";
  if (agent.status !== status) {
    await deps.db.update(schema.agents).set({ status }).where(eq(schema.agents.id, agentId));
  }
  await publishAgentStatus(deps, agent, status, working ? currentTask : null);
}
