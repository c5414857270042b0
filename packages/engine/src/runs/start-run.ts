// Starting a task's run: the pipeline is fixed, the steps are written, the first step is handed over.
import { schema } from "@crewdeck/db";
import { ACTIVE_RUN_STATUSES, INITIAL_RUN_STATUS } from "@crewdeck/domain";
import { and, asc, eq, inArray } from "drizzle-orm";
import { activeModel, checkCallBudget } from "../calls/model-call";
import type { Engine } from "../engine";
import { EngineError } from "../errors";
import { transactionWithEvents } from "../events/outbox";
import { publishRunState } from "./run-events";
import { logRun } from "./run-log";
import { moveTask } from "./status-moves";

export type StartRunInput = {
  taskId: string;
  userId: string;
  instructions?: string | null | undefined;
  attachmentIds?: string[] | undefined;
  /** Agent ids in order; by default the project's pipeline, or its active crew in position order. */
  pipeline?: string[] | undefined;
};

type AgentRow = typeof schema.agents.$inferSelect;
type TaskRow = typeof schema.tasks.$inferSelect;
type RunRow = typeof schema.runs.$inferSelect;

/** The agents that will run, in order, or a 400 that names what is wrong. */
async function resolvePipeline(engine: Engine, projectId: string, requested: string[] | undefined) {
  const crew = await engine.db.query.agents.findMany({
    where: eq(schema.agents.projectId, projectId),
    orderBy: [asc(schema.agents.position), asc(schema.agents.createdAt)],
  });
  const byId = new Map(crew.map((a) => [a.id, a]));
  const project = await engine.db.query.projects.findFirst({
    columns: { pipeline: true },
    where: eq(schema.projects.id, projectId),
  });
  const field = requested ? "pipeline" : "project.pipeline";
  const ids =
    requested ??
    (project && project.pipeline.length > 0
      ? project.pipeline
      : crew.filter((a) => a.isActive).map((a) => a.id));
  if (ids.length === 0) {
    throw new EngineError("VALIDATION_ERROR", "The project has no active agents to run the task", [
      { field, message: "Add agents to the project's crew (POST /projects/{projectId}/agents)" },
    ]);
  }
  const problems = ids.flatMap((id, i) => {
    const agent = byId.get(id);
    if (!agent) return [{ field: `${field}.${i}`, message: "Not an agent of the task's project" }];
    if (!agent.isActive) return [{ field: `${field}.${i}`, message: `${agent.name} is inactive` }];
    return [];
  });
  if (problems.length > 0)
    throw new EngineError("VALIDATION_ERROR", "The pipeline names agents it cannot use", problems);
  const agents = ids.map((id) => byId.get(id) as AgentRow);
  const paused = agents.filter((a) => a.status === "paused");
  if (paused.length > 0) {
    throw new EngineError(
      "CONFLICT",
      `${paused.map((a) => a.name).join(", ")} ${paused.length === 1 ? "is" : "are"} paused; resume ${paused.length === 1 ? "it" : "them"} first`,
      { pausedAgents: paused.map((a) => a.id) },
    );
  }
  return agents;
}

/** Every model the pipeline uses must be in the catalog and have a configured provider, before anything is stored. */
async function checkProviders(engine: Engine, agents: AgentRow[]) {
  for (const model of new Set(agents.map((a) => a.modelConfig.model))) {
    const row = await activeModel(engine.db, model);
    await engine.providers.get(row.provider);
  }
}

async function checkAttachments(engine: Engine, userId: string, ids: string[]) {
  if (ids.length === 0) return;
  const files = await engine.db
    .select({ id: schema.files.id })
    .from(schema.files)
    .where(and(inArray(schema.files.id, ids), eq(schema.files.uploaderId, userId)));
  const found = new Set(files.map((f) => f.id));
  const problems = ids.flatMap((id, i) =>
    found.has(id) ? [] : [{ field: `attachmentIds.${i}`, message: "Not a file you uploaded" }],
  );
  if (problems.length > 0)
    throw new EngineError("VALIDATION_ERROR", "Some attachments cannot be used", problems);
}

/**
 * A blocking limit refuses the start (402) before anything is stored, not at its first step. Nothing is held:
 * the first step reserves for its own call.
 */
async function checkBudget(engine: Engine, task: TaskRow, first: AgentRow, input: StartRunInput) {
  const text = [task.title, task.description, task.prompt, input.instructions].filter(Boolean).join("\n");
  await checkCallBudget(
    engine,
    {
      userId: input.userId,
      projectId: task.projectId,
      agentId: first.id,
      conversationId: task.conversationId,
      taskId: task.id,
      runId: null,
      runStepId: null,
    },
    {
      model: first.modelConfig.model,
      system: "",
      messages: [{ role: "user", content: text }],
      maxTokens: first.modelConfig.maxTokens,
      temperature: first.modelConfig.temperature,
    },
  );
}

const isUniqueViolation = (error: unknown): boolean => {
  for (let e: unknown = error; e instanceof Error; e = (e as Error & { cause?: unknown }).cause) {
    if (/UNIQUE constraint failed: runs\.task_id/i.test(e.message)) return true;
  }
  return false;
};

const agentBusy = (taskId: string) =>
  new EngineError("AGENT_BUSY", "The task already has an active run; cancel it or wait for it to finish", {
    taskId,
  });

const taskCompleted = () =>
  new EngineError("CONFLICT", "The task is completed; reopen it (status backlog) to run it again");

export async function startRun(engine: Engine, input: StartRunInput) {
  const task = await engine.db.query.tasks.findFirst({ where: eq(schema.tasks.id, input.taskId) });
  if (!task) throw new EngineError("RESOURCE_NOT_FOUND", "Task not found");
  if (!task.projectId) {
    throw new EngineError(
      "VALIDATION_ERROR",
      "A task runs with its project's crew, and this task has no project: create it in a project to run it",
      [{ field: "projectId", message: "The task has no project" }],
    );
  }
  if (task.status === "completed") throw taskCompleted();
  const active = await engine.db.query.runs.findFirst({
    columns: { id: true },
    where: and(eq(schema.runs.taskId, task.id), inArray(schema.runs.status, ACTIVE_RUN_STATUSES)),
  });
  if (active) throw agentBusy(task.id);
  const agents = await resolvePipeline(engine, task.projectId, input.pipeline);
  await checkProviders(engine, agents);
  await checkAttachments(engine, input.userId, input.attachmentIds ?? []);
  await checkBudget(engine, task, agents[0] as AgentRow, input);

  let run: RunRow;
  try {
    // The run and its first state's events are committed together (the outbox): a start is answered
    // whether or not the bus is there, and the events go out when it is.
    run = await transactionWithEvents(engine, async (tx, events) => {
      const [run] = await tx
        .insert(schema.runs)
        .values({
          taskId: task.id,
          projectId: task.projectId,
          startedById: input.userId,
          status: INITIAL_RUN_STATUS,
          pipeline: agents.map((a) => a.id),
          totalSteps: agents.length,
          instructions: input.instructions ?? null,
          attachmentIds: input.attachmentIds ?? [],
        })
        .returning();
      if (!run) throw new Error("run insert returned nothing");
      await tx.insert(schema.runSteps).values(
        agents.map((agent, stepIndex) => ({
          runId: run.id,
          stepIndex,
          agentId: agent.id,
          role: agent.role,
        })),
      );
      // Completed by a person since it was read: refuse, and the run written above is rolled back.
      const moved = await moveTask(tx, task.id, "in_progress", { result: null, completedAt: null });
      if (!moved) throw taskCompleted();
      await logRun(tx, run.id, `Run started with ${agents.map((a) => `${a.name} (${a.role})`).join(" → ")}`);
      await publishRunState({ db: tx, bus: events }, run.id, "Run started", { run });
      return run;
    });
  } catch (error) {
    // Two starts raced past the check: the one-active-run index lets only one through.
    if (isUniqueViolation(error)) throw agentBusy(task.id);
    throw error;
  }
  engine.steps.enqueue({ runId: run.id, stepIndex: 0 });
  return run;
}
