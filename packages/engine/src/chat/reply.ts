// Agents answering a person in a conversation, outside any run: each addressed agent (or each of the
// conversation's agents) streams a reply, with the conversation since its last reset as its memory.
import { schema } from "@crewdeck/db";
import { and, asc, eq, gte, inArray, ne, sql } from "drizzle-orm";
import { releaseReservation } from "../budgets";
import { activeModel, callModel, reserveForCall } from "../calls/model-call";
import { createDeltaPublisher, publishMessage } from "../conversations/message-events";
import type { Engine } from "../engine";
import { stageEvent, transactionWithEvents } from "../events/outbox";
import { conversationScope } from "../events/scopes";
import type { EventScope } from "../events/types";
import type { ModelRequest } from "../providers/types";
import { buildChatPrompt } from "../roles/step-prompt";
import { loadStepAttachments } from "../runs/attachments";
import { agentRules } from "../runs/rules-file";
import { setAgentWorking } from "../runs/run-events";

type ConversationRow = typeof schema.conversations.$inferSelect;
type AgentRow = typeof schema.agents.$inferSelect;

export type ReplyPlan = {
  conversation: ConversationRow;
  userId: string;
  /** The conversation's `replyStops` when the round was planned: a Stop since then ends the round. */
  stops: number;
  /**
   * In answering order, each with the budget it holds for its reply; `retryOf` names the reply a crash cut
   * off when this one answers the same message again.
   */
  replies: { agent: AgentRow; reservationId: string; retryOf?: string }[];
};

/** The agents that will answer a message about to be posted, or none (a run's step takes it instead). */
async function answeringAgents(engine: Engine, conversation: ConversationRow, addressed: string[]) {
  if (conversation.status !== "active") return [];
  if (conversation.taskId) {
    // During a run, a message in the task's conversation goes to the current step's agent.
    const active = await engine.db.query.runs.findFirst({
      columns: { id: true },
      where: and(
        eq(schema.runs.taskId, conversation.taskId),
        inArray(schema.runs.status, ["queued", "running"]),
      ),
    });
    if (active) return [];
  }
  const rows = await engine.db
    .select({ agentId: schema.conversationAgents.agentId })
    .from(schema.conversationAgents)
    .where(eq(schema.conversationAgents.conversationId, conversation.id))
    .orderBy(asc(schema.conversationAgents.createdAt));
  const members = rows.map((r) => r.agentId);
  // Only the conversation's own agents answer; an id that is not one of them is refused when the post is
  // validated, so it is simply not asked here.
  const ids = addressed.length > 0 ? addressed.filter((id) => members.includes(id)) : members;
  if (ids.length === 0) return [];
  const agents = await engine.db.select().from(schema.agents).where(inArray(schema.agents.id, ids));
  const byId = new Map(agents.map((a) => [a.id, a]));
  return ids.flatMap((id) => {
    const agent = byId.get(id);
    return agent?.isActive && agent.status !== "paused" ? [agent] : [];
  });
}

/** The request an agent's reply sends, from the conversation as it stands (plus the message being posted). */
async function chatRequest(
  engine: Engine,
  conversation: ConversationRow,
  /** Whose GitHub connection reads the agent's rules file when the GitHub App does not reach it. */
  userId: string,
  agent: AgentRow,
  pending: { author: string; content: string; attachmentIds?: string[] | undefined } | null,
  excludeMessageId: string | null,
): Promise<ModelRequest> {
  const model = await activeModel(engine.db, agent.modelConfig.model);
  const conditions = [
    eq(schema.messages.conversationId, conversation.id),
    ne(schema.messages.content, ""),
    // A reply a crash cut off is answered again; its fragment is not the agent's word.
    sql`json_extract(${schema.messages.metadata}, '$.interrupted') is null`,
  ];
  if (agent.memoryResetAt) conditions.push(gte(schema.messages.createdAt, agent.memoryResetAt));
  if (excludeMessageId) conditions.push(ne(schema.messages.id, excludeMessageId));
  const rows = await engine.db
    .select({
      message: schema.messages,
      userName: schema.users.name,
      agentName: schema.agents.name,
      agentRole: schema.agents.role,
    })
    .from(schema.messages)
    .leftJoin(schema.users, eq(schema.users.id, schema.messages.userId))
    .leftJoin(schema.agents, eq(schema.agents.id, schema.messages.agentId))
    .where(and(...conditions))
    .orderBy(asc(schema.messages.createdAt), asc(schema.messages.id));
  const history = rows.map(({ message, userName, agentName, agentRole }) => ({
    // The agent's own words are its turns; everyone else's, other agents included, are said to it.
    authorType:
      message.agentId === agent.id
        ? ("agent" as const)
        : message.authorType === "system"
          ? ("system" as const)
          : ("user" as const),
    author:
      message.authorType === "agent"
        ? `${agentName ?? "An agent"} (${agentRole ?? "agent"})`
        : (userName ?? "A person"),
    content: message.content,
    createdAt: message.createdAt,
  }));
  if (pending)
    history.push({
      authorType: "user",
      author: pending.author,
      content: pending.content,
      createdAt: engine.now(),
    });
  const project = conversation.projectId
    ? await engine.db.query.projects.findFirst({
        columns: { name: true, description: true },
        where: eq(schema.projects.id, conversation.projectId),
      })
    : null;
  // The files of the message being answered reach the model as a run's do: images seen, text read.
  const answered = rows.findLast((r) => r.message.authorType === "user")?.message.id;
  const attachmentIds = pending
    ? (pending.attachmentIds ?? [])
    : answered
      ? await attachmentsOf(engine, answered)
      : [];
  const prompt = buildChatPrompt({
    agent: { name: agent.name, systemPrompt: agent.systemPrompt },
    rules: await agentRules(engine, {
      rulesFilePath: agent.rulesFilePath,
      projectId: conversation.projectId,
      userId,
    }),
    attachments: await loadStepAttachments(engine, attachmentIds),
    role: agent.role,
    project: project ?? null,
    history,
    contextWindowTokens: model.contextWindow,
    maxOutputTokens: agent.modelConfig.maxTokens,
  });
  return {
    model: model.id,
    system: prompt.system,
    messages: prompt.messages,
    maxTokens: agent.modelConfig.maxTokens,
    temperature: agent.modelConfig.temperature,
  };
}

async function attachmentsOf(engine: Engine, messageId: string): Promise<string[]> {
  const rows = await engine.db
    .select({ fileId: schema.messageAttachments.fileId })
    .from(schema.messageAttachments)
    .where(eq(schema.messageAttachments.messageId, messageId));
  return rows.map((r) => r.fileId);
}

/**
 * Decides who answers a message before it is stored, and holds each reply's worst-case cost, so a missing
 * provider (502) or a blocking limit (402) refuses the post with nothing stored.
 */
export async function planReplies(
  engine: Engine,
  input: {
    conversation: ConversationRow;
    userId: string;
    /** The message about to be posted; absent when it is already stored in the conversation. */
    pending: { userName: string; content: string; attachmentIds?: string[] | undefined } | null;
    agentIds: string[];
  },
): Promise<ReplyPlan> {
  const agents = await answeringAgents(engine, input.conversation, input.agentIds);
  const replies: ReplyPlan["replies"] = [];
  try {
    for (const agent of agents) {
      const request = await chatRequest(
        engine,
        input.conversation,
        input.userId,
        agent,
        input.pending && {
          author: input.pending.userName,
          content: input.pending.content,
          attachmentIds: input.pending.attachmentIds,
        },
        null,
      );
      const reservationId = await reserveForCall(
        engine,
        {
          userId: input.userId,
          projectId: input.conversation.projectId,
          agentId: agent.id,
          conversationId: input.conversation.id,
          taskId: input.conversation.taskId,
          runId: null,
          runStepId: null,
        },
        request,
      );
      replies.push({ agent, reservationId });
    }
  } catch (error) {
    await cancelReplies(engine, { replies });
    throw error;
  }
  return {
    conversation: input.conversation,
    userId: input.userId,
    stops: input.conversation.replyStops,
    replies,
  };
}

/** The post did not happen after all: give the held budget back. */
export async function cancelReplies(
  engine: Engine,
  plan: { replies: { reservationId: string }[] },
): Promise<void> {
  for (const { reservationId } of plan.replies) await releaseReservation(engine.db, reservationId);
}

/** The abort reason of a person's Stop; a shutdown's or a pause's abort does not end a round. */
export const STOP_REASON = "stopped";

/**
 * Marks the conversation's rounds of replies as stopped (every process sees it, the queue's workers too)
 * and aborts the replies being written; returns how many of those ran in this process.
 */
export async function stopConversationReplies(engine: Engine, conversationId: string): Promise<number> {
  await engine.db
    .update(schema.conversations)
    .set({ replyStops: sql`${schema.conversations.replyStops} + 1` })
    .where(eq(schema.conversations.id, conversationId));
  return engine.calls.abort({ conversationId, runId: null }, STOP_REASON);
}

/**
 * Whether the round that began at `stops` must end before its next reply: a person pressed Stop since, the
 * conversation was paused or completed (a pause aborts only the reply under way), or it is gone.
 */
export async function roundStopped(engine: Engine, conversationId: string, stops: number): Promise<boolean> {
  const row = await engine.db.query.conversations.findFirst({
    columns: { replyStops: true, status: true },
    where: eq(schema.conversations.id, conversationId),
  });
  return !row || row.replyStops > stops || row.status !== "active";
}

/** Whether the agent still answers: it may have been paused or switched off since the round was planned. */
export async function agentStillAnswers(engine: Engine, agentId: string): Promise<boolean> {
  const agent = await engine.db.query.agents.findFirst({
    columns: { isActive: true, status: true },
    where: eq(schema.agents.id, agentId),
  });
  return Boolean(agent?.isActive && agent.status !== "paused");
}

/**
 * Streams the planned replies one after another (later agents hear the earlier ones), tracked in
 * `engine.replies`. Never throws.
 */
export function startReplies(
  engine: Engine,
  plan: ReplyPlan,
  replyToId: string,
  options: { inProcess?: boolean } = {},
): Promise<void> {
  if (plan.replies.length === 0) return Promise.resolve();
  // On a queue, a worker streams them (and another one answers again if that worker dies mid-reply).
  if (engine.steps.enqueueReplies && !options.inProcess) {
    engine.steps.enqueueReplies({
      conversationId: plan.conversation.id,
      userId: plan.userId,
      replyToId,
      stops: plan.stops,
      replies: plan.replies.map((r) => ({
        agentId: r.agent.id,
        reservationId: r.reservationId,
        ...(r.retryOf && { retryOf: r.retryOf }),
      })),
    });
    return Promise.resolve();
  }
  const work = (async () => {
    for (const [i, { agent, reservationId, retryOf }] of plan.replies.entries()) {
      try {
        // Stopped by a person, during an earlier reply or between two: nobody else starts.
        if (await roundStopped(engine, plan.conversation.id, plan.stops)) {
          await cancelReplies(engine, { replies: plan.replies.slice(i) });
          return;
        }
        if (!(await agentStillAnswers(engine, agent.id))) {
          await releaseReservation(engine.db, reservationId);
          continue;
        }
        const { stopped } = await replyAs(engine, plan, agent, reservationId, replyToId, retryOf);
        if (stopped) {
          await cancelReplies(engine, { replies: plan.replies.slice(i + 1) });
          return;
        }
      } catch (error) {
        engine.logger.error(`${agent.name} could not reply in conversation ${plan.conversation.id}`, error);
        await releaseReservation(engine.db, reservationId).catch(() => {});
      }
    }
  })();
  engine.replies.track(work);
  return work;
}

/**
 * Streams one agent's reply; `stopped` says a person's Stop ended it (what it wrote is kept, `cancelled`),
 * so the round it belongs to ends too. An abort for any other reason (a shutdown) is not a stop.
 */
export async function replyAs(
  engine: Engine,
  plan: Pick<ReplyPlan, "conversation" | "userId" | "stops">,
  agent: AgentRow,
  reservationId: string,
  replyToId: string,
  retryOf: string | undefined,
): Promise<{ stopped: boolean }> {
  const { conversation } = plan;
  const scope: EventScope = conversationScope(conversation);
  // Typing is a passing hint, sent straight to the bus and never waited on: a bus that is down holds up
  // no reply for it, and one the bus is cut off from is dropped (nobody could be told meanwhile, and it is
  // stale once Redis is back). The reply's message states go through the outbox with the rows they describe.
  const typing = (isTyping: boolean) => {
    if (engine.bus.connected?.() === false) return;
    engine.bus
      .publish({
        type: "agent_typing",
        scope,
        payload: { conversationId: conversation.id, agentId: agent.id, isTyping },
      })
      .catch(() => {});
  };
  const message = await transactionWithEvents(engine, async (tx, events) => {
    const [row] = await tx
      .insert(schema.messages)
      .values({
        conversationId: conversation.id,
        authorType: "agent",
        agentId: agent.id,
        status: "streaming",
        model: agent.modelConfig.model,
        replyToId,
        metadata: retryOf ? { retryOf } : {},
      })
      .returning({ id: schema.messages.id });
    if (!row) throw new Error("reply insert returned nothing");
    await publishMessage({ db: tx, bus: events }, scope, row.id);
    return row;
  });
  typing(true);
  await setAgentWorking(engine, agent.id, true, conversation.taskId);
  const deltas = createDeltaPublisher(
    engine.bus,
    scope,
    { messageId: message.id, conversationId: conversation.id },
    { db: engine.db },
  );
  let streamed = "";
  // A Stop pressed after the round last looked but before this call ran aborted nothing: the mark is read
  // again once the first words arrive (the call is registered by then, so one way or the other it stops).
  const late = new AbortController();
  let lookedAgain = false;
  const lookAgain = () => {
    lookedAgain = true;
    roundStopped(engine, conversation.id, plan.stops).then(
      (stopped) => stopped && late.abort(new Error(STOP_REASON)),
      () => {},
    );
  };
  try {
    const request = await chatRequest(engine, conversation, plan.userId, agent, null, message.id);
    const result = await callModel(engine, {
      subject: {
        userId: plan.userId,
        projectId: conversation.projectId,
        agentId: agent.id,
        conversationId: conversation.id,
        taskId: conversation.taskId,
        runId: null,
        runStepId: null,
      },
      request,
      reservationId,
      signal: late.signal,
      onText: (delta) => {
        streamed += delta;
        deltas.publish(delta);
        if (!lookedAgain) lookAgain();
      },
      commit: async (tx, record, response, events) => {
        const text = response
          ? response.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join("")
          : streamed;
        await tx
          .update(schema.messages)
          .set({
            content: response || text ? text : "The model call failed before any text arrived.",
            status: response ? "complete" : record.outcome === "cancelled" ? "cancelled" : "error",
            tokensIn: record.usage.inputTokens,
            tokensOut: record.usage.outputTokens,
            costMicros: record.costMicros,
          })
          .where(eq(schema.messages.id, message.id));
        await tx
          .update(schema.conversations)
          .set({ lastMessageAt: engine.now() })
          .where(eq(schema.conversations.id, conversation.id));
        // The reply's final state, announced with it (after its deltas, which went to the bus as they came).
        await publishMessage({ db: tx, bus: events }, scope, message.id);
      },
    });
    await deltas.flushed();
    if (!result.ok && result.error.info.aborted)
      return { stopped: result.abortReason === STOP_REASON || late.signal.aborted };
    if (!result.ok) {
      // Through the outbox, so it follows the reply's final state (staged with it) and a bus that is down
      // holds up neither this reply nor the next.
      await stageEvent(engine, {
        type: "error",
        scope,
        payload: {
          code: "MODEL_PROVIDER_ERROR",
          message: `${agent.name} could not answer: ${result.error.message}`,
          details: { messageId: message.id },
        },
      });
    }
    return { stopped: false };
  } catch (error) {
    await transactionWithEvents(engine, async (tx, events) => {
      await tx
        .update(schema.messages)
        .set({ status: "error", content: streamed || "The reply could not be made." })
        .where(eq(schema.messages.id, message.id));
      await publishMessage({ db: tx, bus: events }, scope, message.id);
    });
    throw error;
  } finally {
    typing(false);
    await setAgentWorking(engine, agent.id, false, null);
  }
}
