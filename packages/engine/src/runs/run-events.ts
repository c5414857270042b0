// The live events a run sends as it moves: the pipeline, the task's progress, the agents' status.
import { type Executor, preparedOn, schema } from "@crewdeck/db";
import { and, eq, ne, sql } from "drizzle-orm";
import type { EngineDeps } from "../engine-deps";
import { type EventPublisher, transactionWithEvents } from "../events/outbox";
import { taskScope } from "../events/scopes";
import { taskProgress } from "./progress";
import { loadRunView } from "./run-view";

type TaskRow = typeof schema.tasks.$inferSelect;
type RunRow = typeof schema.runs.$inferSelect;
type AgentStatus = (typeof schema.AGENT_STATUSES)[number];

const taskById = preparedOn((db) =>
  db
    .select()
    .from(schema.tasks)
    .where(eq(schema.tasks.id, sql.placeholder("taskId")))
    .prepare(),
);

export async function loadTask(db: Executor, taskId: string): Promise<TaskRow | null> {
  return (await taskById(db).get({ taskId })) ?? null;
}

/**
 * `pipeline_update` and `task_progress` for the run's current state. A caller that has just written the run
 * (its row returned by the write) or read the task passes them in `known`, so they are not read again.
 * Inside the writer's transaction, `deps` is the transaction and its outbox (`transactionWithEvents`).
 */
export async function publishRunState(
  deps: { db: Executor; bus: EventPublisher },
  runId: string,
  message: string,
  known: { run?: RunRow | undefined; task?: TaskRow | undefined } = {},
): Promise<void> {
  const run = known.run ?? (await deps.db.query.runs.findFirst({ where: eq(schema.runs.id, runId) }));
  const task = run ? (known.task ?? (await loadTask(deps.db, run.taskId))) : null;
  if (!run || !task) return;
  // Both reads at once; the events still go out one after the other, in this order.
  const [view, progress] = await Promise.all([loadRunView(deps.db, run), taskProgress(deps.db, task.id)]);
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
      progress,
      message,
    },
  });
}

/**
 * `agent_status` for an agent whose status was just written. Inside the writer's transaction, `deps.bus` is
 * the transaction's outbox (`transactionWithEvents`), so the status is announced if and only if it is stored.
 */
export async function publishAgentStatus(
  deps: { bus: EventPublisher; now: () => Date },
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

/** An agent that is neither paused nor already in the status moved to it; returns it if it moved. */
const moveAgent = preparedOn((db) => {
  const a = schema.agents;
  const status = sql.placeholder("status");
  return (
    db
      .update(a)
      // Set through SQL, so each call's values go in (a placeholder's value reaches the driver as it is).
      .set({ status: sql`${status}`, updatedAt: sql`${sql.placeholder("nowMs")}` })
      .where(and(eq(a.id, sql.placeholder("agentId")), ne(a.status, "paused"), ne(a.status, status)))
      .returning({ id: a.id, projectId: a.projectId })
      .prepare()
  );
});

/** Sets an agent's status (unless it is paused, which only a person or a limit lifts) and tells its project. */
export async function setAgentWorking(
  deps: EngineDeps,
  agentId: string,
  working: boolean,
  currentTask: string | null,
): Promise<void> {
  const status: AgentStatus = working ? "working" : "idle";
  // The status and its event commit together: no agent is shown working that stopped, or the reverse.
  await transactionWithEvents(deps, async (tx, events) => {
    // One statement in the usual case (the status changes); the row is read only when nothing moved.
    const [moved] = await moveAgent(tx).all({ agentId, status, nowMs: deps.now().getTime() });
    const agent =
      moved ??
      (await tx.query.agents.findFirst({
        columns: { id: true, projectId: true, status: true },
        where: eq(schema.agents.id, agentId),
      }));
    if (!agent || ("status" in agent && agent.status === "paused")) return;
    await publishAgentStatus({ bus: events, now: deps.now }, agent, status, working ? currentTask : null);
  });
}
