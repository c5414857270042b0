// A run with its steps and their agents, as the orchestration view, the status poll and the
// `pipeline_update` event show it.
import { type Executor, iso, isoOrNull, microsToUsd, preparedOn, schema } from "@crewdeck/db";
import { asc, desc, eq, sql } from "drizzle-orm";

type RunRow = typeof schema.runs.$inferSelect;
type StepRow = typeof schema.runSteps.$inferSelect;

export type StepView = {
  index: number;
  agent: { id: string | null; name: string; role: StepRow["role"] };
  role: StepRow["role"];
  status: StepRow["status"];
  startedAt: string | null;
  completedAt: string | null;
  output: string | null;
  error: string | null;
  attempts: number;
  metrics: { durationMs: number | null; tokensIn: number; tokensOut: number; costUsd: number };
};

export type RunView = {
  id: string;
  taskId: string;
  status: RunRow["status"];
  pipeline: string[];
  totalSteps: number;
  currentStep: number;
  instructions: string | null;
  error: string | null;
  reason: string | null;
  startedAt: string | null;
  completedAt: string | null;
  createdAt: string;
  steps: StepView[];
};

const runStepsWithAgents = preparedOn((db) =>
  db
    .select({ step: schema.runSteps, agentName: schema.agents.name })
    .from(schema.runSteps)
    .leftJoin(schema.agents, eq(schema.agents.id, schema.runSteps.agentId))
    .where(eq(schema.runSteps.runId, sql.placeholder("runId")))
    .orderBy(asc(schema.runSteps.stepIndex))
    .prepare(),
);

export async function loadRunView(db: Executor, run: RunRow): Promise<RunView> {
  const rows = await runStepsWithAgents(db).all({ runId: run.id });
  return {
    id: run.id,
    taskId: run.taskId,
    status: run.status,
    pipeline: run.pipeline,
    totalSteps: run.totalSteps,
    currentStep: run.currentStep,
    instructions: run.instructions,
    error: run.error,
    reason: run.reason,
    startedAt: isoOrNull(run.startedAt),
    completedAt: isoOrNull(run.completedAt),
    createdAt: iso(run.createdAt),
    steps: rows.map(({ step, agentName }) => ({
      index: step.stepIndex,
      // A deleted agent's step still says which role did the work.
      agent: { id: step.agentId, name: agentName ?? step.role, role: step.role },
      role: step.role,
      status: step.status,
      startedAt: isoOrNull(step.startedAt),
      completedAt: isoOrNull(step.completedAt),
      output: step.output,
      error: step.error,
      attempts: step.attempts,
      metrics: {
        durationMs: step.durationMs,
        tokensIn: step.tokensIn,
        tokensOut: step.tokensOut,
        costUsd: microsToUsd(step.costMicros),
      },
    })),
  };
}

/** The task's newest run, active or not. */
export async function latestRun(db: Executor, taskId: string): Promise<RunRow | null> {
  const [run] = await db
    .select()
    .from(schema.runs)
    .where(eq(schema.runs.taskId, taskId))
    .orderBy(desc(schema.runs.createdAt), desc(schema.runs.id))
    .limit(1);
  return run ?? null;
}
