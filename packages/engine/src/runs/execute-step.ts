// Executes one step of a run: the agent's model turns (with tool calls) streamed into the task's
// conversation, each call metered and checkpointed, then the step's completion and the next step.
import { schema, type Transaction } from "@crewdeck/db";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { callModel } from "../calls/model-call";
import { loadMessageDtos } from "../conversations/message-dto";
import type { Engine } from "../engine";
import { EngineError } from "../errors";
import { taskScope } from "../events/scopes";
import type { EventScope } from "../events/types";
import type { ModelContentBlock, ModelMessage } from "../providers/types";
import { parseRoleOutput } from "../roles/output-contracts";
import { buildStepPrompt } from "../roles/step-prompt";
import { loadStepAttachments } from "./attachments";
import { finishStep } from "./finish-step";
import { failRun, pauseRun } from "./run-control";
import { loadTask, publishRunState, setAgentWorking } from "./run-events";
import { logRun } from "./run-log";
import { moveRuns, moveSteps } from "./status-moves";
import type { StepJob } from "./step-executor";

/** Enough for a tool-using step; a model that keeps calling tools past this is stopped. */
const MAX_TURNS = 16;

/** Where a step's model conversation stands after its last finished call (stored on the step). */
export type StepCheckpoint = {
  system: string;
  messages: ModelMessage[];
  /** People's messages already handed to the agent, so none is given twice. */
  seenMessageIds: string[];
  /** What the agent has said so far, as the step's message shows it. */
  text: string;
  turns: number;
  /** Whether the agent was already asked once to fix an answer that broke its output contract. */
  corrected: boolean;
};

type RunRow = typeof schema.runs.$inferSelect;
type StepRow = typeof schema.runSteps.$inferSelect;
type TaskRow = typeof schema.tasks.$inferSelect;
type AgentRow = typeof schema.agents.$inferSelect;

export async function executeStep(engine: Engine, job: StepJob): Promise<void> {
  const run = await engine.db.query.runs.findFirst({ where: eq(schema.runs.id, job.runId) });
  if (!run || (run.status !== "queued" && run.status !== "running")) return;
  const step = await engine.db.query.runSteps.findFirst({
    where: and(eq(schema.runSteps.runId, run.id), eq(schema.runSteps.stepIndex, job.stepIndex)),
  });
  if (!step || (step.status !== "pending" && step.status !== "running")) return;
  const task = await loadTask(engine.db, run.taskId);
  if (!task) return;
  const agent = step.agentId
    ? await engine.db.query.agents.findFirst({ where: eq(schema.agents.id, step.agentId) })
    : undefined;
  if (!agent) {
    await failRun(engine, run.id, `The agent of step ${step.stepIndex + 1} (${step.role}) was deleted`);
    return;
  }
  if (agent.status === "paused") {
    await pauseRun(engine, run.id, `${agent.name} is paused`);
    return;
  }
  const claimed = await claimStep(engine, run, step, task, agent);
  await setAgentWorking(engine, agent.id, true, task.id);
  try {
    await runTurns(engine, run, claimed, task, agent);
  } catch (error) {
    const message = error instanceof EngineError ? error.message : "The step failed unexpectedly";
    if (!(error instanceof EngineError))
      engine.logger.error(`Step ${step.stepIndex} of run ${run.id} failed`, error);
    await failRun(engine, run.id, message, error instanceof EngineError ? error.code : undefined);
  } finally {
    await setAgentWorking(engine, agent.id, false, null);
  }
}

/** Marks the step running (its message created once, kept across resumes) and the run on this step. */
async function claimStep(engine: Engine, run: RunRow, step: StepRow, task: TaskRow, agent: AgentRow) {
  const now = engine.now();
  const fresh = !step.messageId;
  const claimed = await engine.db.transaction(async (tx) => {
    let messageId = step.messageId;
    if (!messageId && task.conversationId) {
      const [message] = await tx
        .insert(schema.messages)
        .values({
          conversationId: task.conversationId,
          authorType: "agent",
          agentId: agent.id,
          content: "",
          status: "streaming",
          model: agent.modelConfig.model,
          runId: run.id,
          runStepId: step.id,
        })
        .returning({ id: schema.messages.id });
      messageId = message?.id ?? null;
    }
    const [row] = await moveSteps(tx, eq(schema.runSteps.id, step.id), ["pending", "running"], "running", {
      attempts: sql`${schema.runSteps.attempts} + 1`,
      startedAt: step.startedAt ?? now,
      messageId,
    });
    const [claimedRun] = await moveRuns(tx, eq(schema.runs.id, run.id), ["queued", "running"], "running", {
      currentStep: step.stepIndex,
      startedAt: run.startedAt ?? now,
      reason: null,
    });
    // Paused, cancelled or failed since the step was read: that decision stands, and the claim (its
    // message included) is rolled back rather than waking the run up again.
    if (!row || !claimedRun) {
      throw new Error(`Step ${step.stepIndex + 1} of run ${run.id} stopped before it could start`);
    }
    await logRun(
      tx,
      run.id,
      step.attempts > 0
        ? `Step ${step.stepIndex + 1} (${agent.name}) resumed, attempt ${step.attempts + 1}`
        : `Step ${step.stepIndex + 1} (${agent.name}) started`,
    );
    return row as StepRow;
  });
  if (fresh && claimed.messageId) await publishMessage(engine, taskScope(task), claimed.messageId);
  await publishRunState(
    engine,
    run.id,
    `${agent.name} is working on step ${step.stepIndex + 1} of ${run.totalSteps}`,
  );
  return claimed;
}

async function publishMessage(engine: Engine, scope: EventScope, messageId: string) {
  const [dto] = await loadMessageDtos(engine.db, [messageId]);
  if (dto) await engine.bus.publish({ type: "message", scope, payload: dto });
}

async function firstCheckpoint(
  engine: Engine,
  run: RunRow,
  task: TaskRow,
  agent: AgentRow,
): Promise<StepCheckpoint> {
  const earlier = await engine.db
    .select({ step: schema.runSteps, agentName: schema.agents.name })
    .from(schema.runSteps)
    .leftJoin(schema.agents, eq(schema.agents.id, schema.runSteps.agentId))
    .where(and(eq(schema.runSteps.runId, run.id), eq(schema.runSteps.status, "completed")))
    .orderBy(asc(schema.runSteps.stepIndex));
  const project = task.projectId
    ? await engine.db.query.projects.findFirst({
        columns: { name: true, description: true },
        where: eq(schema.projects.id, task.projectId),
      })
    : null;
  const prompt = buildStepPrompt({
    role: agent.role,
    agent: { name: agent.name, systemPrompt: agent.systemPrompt },
    project: project ?? null,
    task,
    instructions: run.instructions,
    attachments: await loadStepAttachments(engine, run.attachmentIds),
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

/** People's messages posted into the task's conversation since the step began, not yet handed over. */
async function newUserMessages(engine: Engine, task: TaskRow, step: StepRow, seen: string[]) {
  if (!task.conversationId || !step.startedAt) return [];
  const rows = await engine.db
    .select({ id: schema.messages.id, content: schema.messages.content, author: schema.users.name })
    .from(schema.messages)
    .leftJoin(schema.users, eq(schema.users.id, schema.messages.userId))
    .where(
      and(
        eq(schema.messages.conversationId, task.conversationId),
        eq(schema.messages.authorType, "user"),
        gt(schema.messages.createdAt, step.startedAt),
      ),
    )
    .orderBy(asc(schema.messages.createdAt), asc(schema.messages.id));
  const known = new Set(seen);
  return rows.filter((r) => !known.has(r.id));
}

/** Appends text to the last user message, or starts one (tool results and people's words share a turn). */
function appendUserContent(messages: ModelMessage[], blocks: ModelContentBlock[]): ModelMessage[] {
  const last = messages.at(-1);
  if (last?.role === "user") {
    const content: ModelContentBlock[] =
      typeof last.content === "string" ? [{ type: "text", text: last.content }] : [...last.content];
    return [...messages.slice(0, -1), { role: "user", content: [...content, ...blocks] }];
  }
  return [...messages, { role: "user", content: blocks }];
}

async function runTurns(engine: Engine, run: RunRow, step: StepRow, task: TaskRow, agent: AgentRow) {
  let checkpoint =
    (step.checkpoint as StepCheckpoint | null) ?? (await firstCheckpoint(engine, run, task, agent));
  const scope = taskScope(task);
  const conversationId = task.conversationId;
  let deltas: Promise<unknown> = Promise.resolve();

  while (true) {
    const current = await engine.db.query.runs.findFirst({
      columns: { status: true },
      where: eq(schema.runs.id, run.id),
    });
    if (current?.status !== "running") return;
    const latestAgent = await engine.db.query.agents.findFirst({
      columns: { status: true },
      where: eq(schema.agents.id, agent.id),
    });
    if (latestAgent?.status === "paused") {
      await pauseRun(engine, run.id, `${agent.name} was paused`);
      return;
    }
    if (checkpoint.turns >= MAX_TURNS) {
      throw new EngineError(
        "CONFLICT",
        `${agent.name} used ${MAX_TURNS} model turns without finishing the step`,
      );
    }
    const said = await newUserMessages(engine, task, step, checkpoint.seenMessageIds);
    if (said.length > 0) {
      checkpoint = {
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

    const before = checkpoint;
    let streamed = before.text && !before.text.endsWith("\n\n") ? "\n\n" : "";
    const tools = engine.tools.definitionsFor(agent.role);
    const result = await callModel(engine, {
      subject: {
        userId: run.startedById ?? task.createdById ?? "",
        projectId: run.projectId,
        agentId: agent.id,
        conversationId,
        taskId: task.id,
        runId: run.id,
        runStepId: step.id,
      },
      request: {
        model: agent.modelConfig.model,
        system: before.system,
        messages: before.messages,
        maxTokens: agent.modelConfig.maxTokens,
        temperature: agent.modelConfig.temperature,
        tools: tools.length > 0 ? tools : undefined,
      },
      onText: (delta) => {
        streamed += delta;
        if (!step.messageId || !conversationId) return;
        const payload = { messageId: step.messageId, conversationId, delta };
        deltas = deltas
          .then(() => engine.bus.publish({ type: "message_delta", scope, payload }))
          .catch(() => {});
      },
      onRetry: (notice) => {
        void logRun(
          engine.db,
          run.id,
          `Model call retried (attempt ${notice.attempt}): ${notice.message}`,
          "warn",
        );
      },
      commit: async (tx, record, response) => {
        const text = response ? before.text + (streamed.trim() ? streamed : "") : before.text + streamed;
        const next: StepCheckpoint | null = response
          ? {
              ...before,
              messages: [...before.messages, { role: "assistant", content: response.content }],
              text,
              turns: before.turns + 1,
            }
          : null;
        await addStepUsage(
          tx,
          step,
          record.usage.inputTokens,
          record.usage.outputTokens,
          record.costMicros,
          next,
          text,
        );
        if (next) checkpoint = next;
      },
    });
    await deltas;
    if (!result.ok) {
      // Cancelled or paused from outside: whoever aborted the call has already set the run's state.
      if (result.error.info.aborted) return;
      throw new EngineError("MODEL_PROVIDER_ERROR", `The model call failed: ${result.error.message}`);
    }

    const toolUses = result.response.content.filter(
      (b): b is Extract<ModelContentBlock, { type: "tool_use" }> => b.type === "tool_use",
    );
    if (toolUses.length > 0) {
      const results: ModelContentBlock[] = [];
      for (const use of toolUses) {
        await engine.bus.publish({
          type: "agent_action",
          scope,
          payload: {
            agentId: agent.id,
            runId: run.id,
            type: "tool_call",
            tool: use.name,
            content: JSON.stringify(use.input),
          },
        });
        const outcome = await engine.tools.execute(use.name, use.input, {
          runId: run.id,
          taskId: task.id,
          projectId: run.projectId,
          agentId: agent.id,
          role: agent.role,
          userId: run.startedById ?? "",
          signal: AbortSignal.timeout(120_000),
        });
        await engine.bus.publish({
          type: "agent_action",
          scope,
          payload: {
            agentId: agent.id,
            runId: run.id,
            type: "tool_result",
            tool: use.name,
            content: outcome.content,
          },
        });
        results.push({
          type: "tool_result",
          toolUseId: use.id,
          content: outcome.content,
          isError: outcome.isError,
        });
      }
      checkpoint = { ...checkpoint, messages: appendUserContent(checkpoint.messages, results) };
      await saveCheckpoint(engine, step.id, checkpoint);
      continue;
    }

    const answer = result.response.content
      .filter((b): b is Extract<ModelContentBlock, { type: "text" }> => b.type === "text")
      .map((b) => b.text)
      .join("");
    // Someone wrote to the agent while it was answering: it hears them before the step ends.
    const lateWords = await newUserMessages(engine, task, step, checkpoint.seenMessageIds);
    if (lateWords.length > 0 && checkpoint.turns < MAX_TURNS) {
      await saveCheckpoint(engine, step.id, checkpoint);
      continue;
    }
    const parsed = parseRoleOutput(agent.role, answer);
    if (!parsed.ok && !checkpoint.corrected && result.response.stopReason !== "max_tokens") {
      await logRun(
        engine.db,
        run.id,
        `${agent.name}'s answer broke its output contract; asked once to fix it`,
        "warn",
      );
      checkpoint = {
        ...checkpoint,
        corrected: true,
        messages: appendUserContent(checkpoint.messages, [
          {
            type: "text",
            text: `Your answer does not follow the output contract:\n- ${parsed.problems.join("\n- ")}\nAnswer again in full, ending with the one fenced json block the contract asks for.`,
          },
        ]),
      };
      await saveCheckpoint(engine, step.id, checkpoint);
      continue;
    }
    if (!parsed.ok) {
      await logRun(
        engine.db,
        run.id,
        `${agent.name}'s answer still breaks its output contract; kept as written`,
        "warn",
      );
    }
    await finishStep(engine, { runId: run.id, stepId: step.id, output: answer, text: checkpoint.text });
    return;
  }
}

async function addStepUsage(
  tx: Transaction,
  step: StepRow,
  tokensIn: number,
  tokensOut: number,
  costMicros: number,
  checkpoint: StepCheckpoint | null,
  text: string,
) {
  const s = schema.runSteps;
  await tx
    .update(s)
    .set({
      tokensIn: sql`${s.tokensIn} + ${tokensIn}`,
      tokensOut: sql`${s.tokensOut} + ${tokensOut}`,
      costMicros: sql`${s.costMicros} + ${costMicros}`,
      ...(checkpoint ? { checkpoint } : {}),
    })
    .where(eq(s.id, step.id));
  if (!step.messageId) return;
  const m = schema.messages;
  await tx
    .update(m)
    .set({
      content: text,
      tokensIn: sql`${m.tokensIn} + ${tokensIn}`,
      tokensOut: sql`${m.tokensOut} + ${tokensOut}`,
      costMicros: sql`${m.costMicros} + ${costMicros}`,
    })
    .where(eq(m.id, step.messageId));
}

async function saveCheckpoint(engine: Engine, stepId: string, checkpoint: StepCheckpoint) {
  await engine.db.update(schema.runSteps).set({ checkpoint }).where(eq(schema.runSteps.id, stepId));
}
