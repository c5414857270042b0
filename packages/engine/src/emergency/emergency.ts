// The emergency stop (§2.10): every agent in scope paused, every model call in scope aborted at once,
// runs paused where they stand; resume lifts it and picks the runs up again.
import { type Executor, iso, schema } from "@crewdeck/db";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Engine } from "../engine";
import { transactionWithEvents } from "../events/outbox";
import { pauseRun, resumePausedRuns } from "../runs/run-control";
import { publishAgentStatus } from "../runs/run-events";

/** Every project (an admin's stop), or the listed ones. */
export type EmergencyScope = { all: true } | { all?: false; projectIds: string[] };

const projectFilter = (column: AnySQLiteColumn, scope: EmergencyScope) =>
  scope.all ? undefined : inArray(column, scope.projectIds);

/** "1 agent", "6 agents": the summary is read by people, in a toast. */
const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

async function projectsIn(db: Executor, scope: EmergencyScope): Promise<string[]> {
  if (!scope.all) return scope.projectIds;
  const rows = await db.select({ id: schema.projects.id }).from(schema.projects);
  return rows.map((r) => r.id);
}

export async function pauseAll(
  engine: Engine,
  scope: EmergencyScope,
  input: { userId: string; reason?: string | null },
) {
  const reason = input.reason?.trim() || "Emergency stop";
  const stopScopes = scope.all ? [null] : scope.projectIds;
  const timestamp = engine.now().toISOString();
  // The stop, the paused agents and their events commit together: a stop is never announced that was not
  // stored, nor stored and left unannounced (a crash, a bus that is down: the outbox relays it later).
  const { agents, conversations } = await transactionWithEvents(engine, async (tx, events) => {
    for (const projectId of stopScopes) {
      await tx
        .insert(schema.emergencyStops)
        .values({ projectId, triggeredById: input.userId, reason })
        .onConflictDoNothing();
    }
    const agents = await tx
      .update(schema.agents)
      .set({ status: "paused" })
      .where(
        and(
          projectFilter(schema.agents.projectId, scope),
          inArray(schema.agents.status, ["idle", "working", "error"]),
        ),
      )
      .returning({ id: schema.agents.id, projectId: schema.agents.projectId });
    const [conversations] = await tx
      .select({ n: count() })
      .from(schema.conversations)
      .where(
        and(projectFilter(schema.conversations.projectId, scope), eq(schema.conversations.status, "active")),
      );
    // Unassigned chats have no project; a site-wide stop aborts their calls too (below).
    for (const projectId of await projectsIn(tx, scope)) {
      await events.publish({
        type: "emergency_pause",
        scope: { projectId },
        payload: { triggeredBy: "user", reason, timestamp, projectId },
      });
    }
    for (const agent of agents) await publishAgentStatus({ bus: events, now: engine.now }, agent, "paused");
    return { agents, conversations: conversations?.n ?? 0 };
  });
  const abortedCalls = scope.all
    ? engine.calls.abort({ all: true }, "emergency")
    : scope.projectIds.reduce((n, projectId) => n + engine.calls.abort({ projectId }, "emergency"), 0);
  const runs = await engine.db
    .select({ id: schema.runs.id })
    .from(schema.runs)
    .where(
      and(projectFilter(schema.runs.projectId, scope), inArray(schema.runs.status, ["queued", "running"])),
    );
  for (const run of runs) await pauseRun(engine, run.id, `Emergency stop: ${reason}`);
  return {
    pausedAgents: agents.length,
    activeConversations: conversations,
    abortedCalls,
    pausedRuns: runs.length,
    message: `Paused ${counted(agents.length, "agent")}, aborted ${counted(abortedCalls, "model call")} and paused ${counted(runs.length, "run")}`,
  };
}

export async function resumeAll(engine: Engine, scope: EmergencyScope, input: { userId: string }) {
  const now = engine.now();
  const timestamp = now.toISOString();
  const agents = await transactionWithEvents(engine, async (tx, events) => {
    await tx
      .update(schema.emergencyStops)
      .set({ resumedAt: now, resumedById: input.userId })
      .where(
        and(
          isNull(schema.emergencyStops.resumedAt),
          scope.all ? undefined : inArray(schema.emergencyStops.projectId, scope.projectIds),
        ),
      );
    const agents = await tx
      .update(schema.agents)
      .set({ status: "idle" })
      .where(and(projectFilter(schema.agents.projectId, scope), eq(schema.agents.status, "paused")))
      .returning({ id: schema.agents.id, projectId: schema.agents.projectId });
    for (const projectId of await projectsIn(tx, scope)) {
      await events.publish({
        type: "emergency_resume",
        scope: { projectId },
        payload: { triggeredBy: "user", reason: "Resumed", timestamp, projectId },
      });
    }
    for (const agent of agents) await publishAgentStatus({ bus: events, now: engine.now }, agent, "idle");
    return agents;
  });
  let resumedRuns = 0;
  if (scope.all) resumedRuns = await resumePausedRuns(engine, {}, "emergency stop lifted");
  else
    for (const projectId of scope.projectIds)
      resumedRuns += await resumePausedRuns(engine, { projectId }, "emergency stop lifted");
  return {
    resumedAgents: agents.length,
    resumedRuns,
    message: `Resumed ${counted(agents.length, "agent")} and ${counted(resumedRuns, "run")}`,
  };
}

/** The stops in force that concern the given projects (and the site-wide one), and what is paused. */
export async function emergencyStatus(engine: Engine, scope: EmergencyScope) {
  const stops = await engine.db
    .select({
      id: schema.emergencyStops.id,
      projectId: schema.emergencyStops.projectId,
      projectName: schema.projects.name,
      reason: schema.emergencyStops.reason,
      triggeredById: schema.emergencyStops.triggeredById,
      triggeredByName: schema.users.name,
      createdAt: schema.emergencyStops.createdAt,
    })
    .from(schema.emergencyStops)
    .leftJoin(schema.projects, eq(schema.projects.id, schema.emergencyStops.projectId))
    .leftJoin(schema.users, eq(schema.users.id, schema.emergencyStops.triggeredById))
    .where(isNull(schema.emergencyStops.resumedAt));
  const visible = scope.all
    ? stops
    : stops.filter((s) => s.projectId === null || scope.projectIds.includes(s.projectId));
  const [paused] = await engine.db
    .select({ n: count() })
    .from(schema.agents)
    .where(and(projectFilter(schema.agents.projectId, scope), eq(schema.agents.status, "paused")));
  const runningCalls = engine.calls
    .list()
    .filter((c) => scope.all || (c.projectId !== null && scope.projectIds.includes(c.projectId))).length;
  return {
    active: visible.length > 0,
    stops: visible.map((s) => ({
      id: s.id,
      projectId: s.projectId,
      projectName: s.projectName,
      reason: s.reason,
      triggeredBy: s.triggeredById ? { id: s.triggeredById, name: s.triggeredByName ?? "" } : null,
      createdAt: iso(s.createdAt),
    })),
    pausedAgents: paused?.n ?? 0,
    runningCalls,
  };
}
