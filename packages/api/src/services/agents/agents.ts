// A project's crew: each agent has a role, a model configuration and a place in the pipeline.

import { microsToUsd, schema } from "@crewdeck/db";
import { publishAgentStatus, ROLE_CATALOG, resumePausedRuns, transactionWithEvents } from "@crewdeck/engine";
import { and, asc, count, eq, gte, inArray, max, sql, sum } from "drizzle-orm";
import type { ApiDeps } from "../../context";
import { invalid, notFound } from "../../errors";
import { changedFields } from "../../lib/changes";
import { iso, isoOrNull } from "../../lib/schemas";
import { deleteAgentLimits } from "../budgets/scope-cleanup";
import { findActiveModel } from "../models/models";
import { startOfUtcDay } from "../projects/stats";

type AgentRow = typeof schema.agents.$inferSelect;
type AgentRole = (typeof schema.AGENT_ROLES)[number];
type ModelConfig = schema.ModelConfig;

type AgentStats = { messagesToday: number; costTodayUsd: number; tasksCompleted: number };

const toAgentDto = (a: AgentRow, stats: AgentStats) => ({
  id: a.id,
  projectId: a.projectId,
  name: a.name,
  role: a.role,
  modelConfig: a.modelConfig,
  systemPrompt: a.systemPrompt,
  /** What the agent runs with when it has no prompt of its own. */
  defaultSystemPrompt: ROLE_CATALOG[a.role].systemPrompt,
  rulesFilePath: a.rulesFilePath,
  position: a.position,
  isActive: a.isActive,
  status: a.status,
  memoryResetAt: isoOrNull(a.memoryResetAt),
  stats,
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});

async function statsForAgents({ db }: ApiDeps, agentIds: string[]): Promise<Map<string, AgentStats>> {
  const result = new Map(
    agentIds.map((id) => [id, { messagesToday: 0, costTodayUsd: 0, tasksCompleted: 0 }]),
  );
  if (agentIds.length === 0) return result;
  const since = startOfUtcDay();
  const [messages, costs, tasks] = await Promise.all([
    db
      .select({ agentId: schema.messages.agentId, n: count() })
      .from(schema.messages)
      .where(and(inArray(schema.messages.agentId, agentIds), gte(schema.messages.createdAt, since)))
      .groupBy(schema.messages.agentId),
    db
      .select({ agentId: schema.usageRecords.agentId, cost: sum(schema.usageRecords.costMicros) })
      .from(schema.usageRecords)
      .where(and(inArray(schema.usageRecords.agentId, agentIds), gte(schema.usageRecords.createdAt, since)))
      .groupBy(schema.usageRecords.agentId),
    db
      .select({ agentId: schema.tasks.assignedToAgentId, n: count() })
      .from(schema.tasks)
      .where(and(inArray(schema.tasks.assignedToAgentId, agentIds), eq(schema.tasks.status, "completed")))
      .groupBy(schema.tasks.assignedToAgentId),
  ]);
  for (const row of messages) if (row.agentId) result.get(row.agentId)!.messagesToday = row.n;
  for (const row of costs)
    if (row.agentId) result.get(row.agentId)!.costTodayUsd = microsToUsd(Number(row.cost ?? 0));
  for (const row of tasks) if (row.agentId) result.get(row.agentId)!.tasksCompleted = row.n;
  return result;
}

export async function listAgents(deps: ApiDeps, projectId: string) {
  const rows = await deps.db.query.agents.findMany({
    where: eq(schema.agents.projectId, projectId),
    orderBy: [asc(schema.agents.position), asc(schema.agents.createdAt)],
  });
  const stats = await statsForAgents(
    deps,
    rows.map((a) => a.id),
  );
  return { items: rows.map((a) => toAgentDto(a, stats.get(a.id)!)) };
}

async function agentOrThrow({ db }: ApiDeps, projectId: string, agentId: string) {
  const agent = await db.query.agents.findFirst({
    where: and(eq(schema.agents.id, agentId), eq(schema.agents.projectId, projectId)),
  });
  if (!agent) throw notFound("Agent");
  return agent;
}

export async function getAgent(deps: ApiDeps, projectId: string, agentId: string) {
  const agent = await agentOrThrow(deps, projectId, agentId);
  const stats = await statsForAgents(deps, [agent.id]);
  return toAgentDto(agent, stats.get(agent.id)!);
}

async function checkModelConfig(deps: ApiDeps, config: ModelConfig) {
  const model = await findActiveModel(deps.db, config.model);
  if (!model) {
    throw invalid(`Unknown or inactive model: ${config.model}`, [
      { field: "modelConfig.model", message: "Not an active model of the catalog (GET /models)" },
    ]);
  }
  if (config.maxTokens > model.maxOutputTokens) {
    throw invalid(`${model.displayName} answers with at most ${model.maxOutputTokens} tokens`, [
      { field: "modelConfig.maxTokens", message: `At most ${model.maxOutputTokens} for ${model.id}` },
    ]);
  }
}

export type AgentInput = {
  name: string;
  role: AgentRole;
  modelConfig: ModelConfig;
  systemPrompt?: string | null | undefined;
  rulesFilePath?: string | null | undefined;
};

export async function createAgent(deps: ApiDeps, projectId: string, input: AgentInput) {
  await checkModelConfig(deps, input.modelConfig);
  const [last] = await deps.db
    .select({ position: max(schema.agents.position) })
    .from(schema.agents)
    .where(eq(schema.agents.projectId, projectId));
  const [row] = await deps.db
    .insert(schema.agents)
    .values({
      projectId,
      name: input.name,
      role: input.role,
      modelConfig: input.modelConfig,
      systemPrompt: input.systemPrompt ?? null,
      rulesFilePath: input.rulesFilePath ?? null,
      position: (last?.position ?? -1) + 1,
    })
    .returning();
  if (!row) throw new Error("agent insert returned nothing");
  return getAgent(deps, projectId, row.id);
}

export async function updateAgent(
  deps: ApiDeps,
  projectId: string,
  agentId: string,
  input: Partial<AgentInput> & { isActive?: boolean | undefined },
) {
  const agent = await agentOrThrow(deps, projectId, agentId);
  const modelConfig = input.modelConfig ? { ...agent.modelConfig, ...input.modelConfig } : undefined;
  if (modelConfig) await checkModelConfig(deps, modelConfig);
  const values = changedFields({ ...input, modelConfig });
  if (values) {
    await deps.db.update(schema.agents).set(values).where(eq(schema.agents.id, agentId));
  }
  return getAgent(deps, projectId, agentId);
}

export async function deleteAgent(deps: ApiDeps, projectId: string, agentId: string) {
  await agentOrThrow(deps, projectId, agentId);
  await deps.db.transaction(async (tx) => {
    await tx.delete(schema.agents).where(eq(schema.agents.id, agentId));
    await deleteAgentLimits(tx, agentId);
    // A pipeline never names an agent that is gone.
    await tx
      .update(schema.projects)
      .set({
        pipeline: sql`(select coalesce(json_group_array(value), '[]') from json_each(${schema.projects.pipeline}) where value != ${agentId})`,
      })
      .where(eq(schema.projects.id, projectId));
  });
}

/** Forgets the agent's conversation context: later calls see nothing from before this moment. */
export async function resetAgentMemory(deps: ApiDeps, projectId: string, agentId: string) {
  await agentOrThrow(deps, projectId, agentId);
  await deps.db.update(schema.agents).set({ memoryResetAt: new Date() }).where(eq(schema.agents.id, agentId));
  return getAgent(deps, projectId, agentId);
}

/** Paused agents take no new work; the run engine stops a running step at its next safe point. */
/**
 * Pausing stops the agent's chat replies at once; a run step of its stops at the next safe point (the step
 * checks between model turns) and its run waits as `paused`. Resuming picks those runs up again.
 */
export async function setAgentPaused(deps: ApiDeps, projectId: string, agentId: string, paused: boolean) {
  const agent = await agentOrThrow(deps, projectId, agentId);
  const status = paused ? "paused" : agent.status === "paused" ? "idle" : agent.status;
  if (status !== agent.status) {
    // The status and its event commit together: nobody sees an agent paused that is not, or the reverse.
    await transactionWithEvents(deps.engine, async (tx, events) => {
      await tx.update(schema.agents).set({ status }).where(eq(schema.agents.id, agentId));
      await publishAgentStatus({ bus: events, now: deps.engine.now }, agent, status);
    });
  }
  if (paused) deps.engine.calls.abort({ agentId, runId: null }, "paused");
  else await resumePausedRuns(deps.engine, { projectId, agentId }, `${agent.name} was resumed`);
  return getAgent(deps, projectId, agentId);
}
