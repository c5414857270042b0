// What a step's next model call sends: the conversation so far (the first one built from the step prompt),
// people's words posted since, and the agent's tools, billed to the run's starter.
import { preparedOn, schema } from "@crewdeck/db";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { ModelCallInput } from "../calls/model-call";
import type { Engine } from "../engine";
import { parseRoleOutput } from "../roles/output-contracts";
import { buildStepPrompt } from "../roles/step-prompt";
import { loadStepAttachments } from "./attachments";
import { agentRules } from "./rules-file";
import { appendUserContent, type StepCheckpoint } from "./step-checkpoint";
import type { StepContext } from "./step-context";

const completedSteps = preparedOn((db) =>
  db
    .select({ step: schema.runSteps, agentName: schema.agents.name })
    .from(schema.runSteps)
    .leftJoin(schema.agents, eq(schema.agents.id, schema.runSteps.agentId))
    .where(and(eq(schema.runSteps.runId, sql.placeholder("runId")), eq(schema.runSteps.status, "completed")))
    .orderBy(asc(schema.runSteps.stepIndex))
    .prepare(),
);

const projectText = preparedOn((db) =>
  db
    .select({ name: schema.projects.name, description: schema.projects.description })
    .from(schema.projects)
    .where(eq(schema.projects.id, sql.placeholder("projectId")))
    .prepare(),
);

/** A step's conversation before its first call: the task, the instructions and the earlier steps' outputs. */
export async function firstCheckpoint(
  engine: Engine,
  { run, task, agent, workspace }: StepContext,
): Promise<StepCheckpoint> {
  const earlier = await completedSteps(engine.db).all({ runId: run.id });
  const project = task.projectId ? await projectText(engine.db).get({ projectId: task.projectId }) : null;
  const prompt = buildStepPrompt({
    role: agent.role,
    agent: { name: agent.name, systemPrompt: agent.systemPrompt },
    rules: await agentRules(engine, {
      rulesFilePath: agent.rulesFilePath,
      projectId: run.projectId ?? task.projectId,
      userId: run.startedById ?? task.createdById,
      workspaceRepositories: workspace?.repositories,
    }),
    project: project ?? null,
    task,
    instructions: run.instructions,
    attachments: await loadStepAttachments(engine, run.attachmentIds),
    workspace: workspace && {
      taskBranch: workspace.taskBranch,
      repositories: workspace.repositories.map((r) => ({
        fullName: r.row.fullName,
        directory: r.dir,
        baseBranch: r.baseBranch,
      })),
      tools: engine.tools.definitionsFor(agent.role, { workspace: true }).map((t) => t.name),
    },
    earlierSteps: earlier.map(({ step, agentName }) => {
      const parsed = step.output ? parseRoleOutput(step.role, step.output) : null;
      return {
        role: step.role,
        agentName: agentName ?? step.role,
        output: step.output ?? "",
        data: parsed?.ok ? parsed.data : undefined,
      };
    }),
  });
  return {
    system: prompt.system,
    messages: prompt.messages,
    seenMessageIds: [],
    text: "",
    turns: 0,
    corrected: false,
  };
}

const peopleMessagesSince = preparedOn((db) =>
  db
    .select({ id: schema.messages.id, content: schema.messages.content, author: schema.users.name })
    .from(schema.messages)
    .leftJoin(schema.users, eq(schema.users.id, schema.messages.userId))
    .where(
      and(
        eq(schema.messages.conversationId, sql.placeholder("conversationId")),
        eq(schema.messages.authorType, "user"),
        gt(schema.messages.createdAt, sql.placeholder("since")),
      ),
    )
    .orderBy(asc(schema.messages.createdAt), asc(schema.messages.id))
    .prepare(),
);

/** People's messages posted into the task's conversation since the step began, not yet handed over. */
export async function newUserMessages(engine: Engine, { task, step }: StepContext, seen: string[]) {
  if (!task.conversationId || !step.startedAt) return [];
  const rows = await peopleMessagesSince(engine.db).all({
    conversationId: task.conversationId,
    // A placeholder's value reaches the driver as it is: the column's own unit (unix milliseconds).
    since: step.startedAt.getTime(),
  });
  const known = new Set(seen);
  return rows.filter((r) => !known.has(r.id));
}

/**
 * The checkpoint with people's new words added to the agent's next turn. Not stored here: the call that
 * hears them stores it with its usage, so a crash before that call hands them over again, once.
 */
export async function hearPeople(
  engine: Engine,
  ctx: StepContext,
  checkpoint: StepCheckpoint,
): Promise<StepCheckpoint> {
  const said = await newUserMessages(engine, ctx, checkpoint.seenMessageIds);
  if (said.length === 0) return checkpoint;
  return {
    ...checkpoint,
    messages: appendUserContent(
      checkpoint.messages,
      said.map((m) => ({
        type: "text",
        text: `Message from ${m.author ?? "a person"} during the run:\n${m.content}`,
      })),
    ),
    seenMessageIds: [...checkpoint.seenMessageIds, ...said.map((m) => m.id)],
  };
}

/** The model call for the checkpoint as it stands: who pays, what is sent, which tools the role may use. */
export function turnRequest(
  engine: Engine,
  { run, step, task, agent, workspace }: StepContext,
  checkpoint: StepCheckpoint,
): Pick<ModelCallInput, "subject" | "request"> {
  const tools = engine.tools.definitionsFor(agent.role, { workspace: workspace !== undefined });
  return {
    subject: {
      userId: run.startedById ?? task.createdById ?? "",
      projectId: run.projectId,
      agentId: agent.id,
      conversationId: task.conversationId,
      taskId: task.id,
      runId: run.id,
      runStepId: step.id,
    },
    request: {
      model: agent.modelConfig.model,
      system: checkpoint.system,
      messages: checkpoint.messages,
      maxTokens: agent.modelConfig.maxTokens,
      temperature: agent.modelConfig.temperature,
      tools: tools.length > 0 ? tools : undefined,
    },
  };
}
