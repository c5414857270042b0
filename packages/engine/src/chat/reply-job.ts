// A queued job of chat replies (QUEUE_URL), run by a worker. The job may run a second time, on another
// worker, when the first one died mid-reply (BullMQ's stalled-job check): a reply already made is left
// alone, a reply cut off is marked so, charged at its estimate and answered again once, and a reply not
// begun is made with the budget held for it.
import { schema } from "@crewdeck/db";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { closeCallReservation, releaseReservation } from "../budgets/reservations";
import type { Engine } from "../engine";
import type { ReplyJob } from "../runs/step-executor";
import { markReplyCutOff } from "./recover-replies";
import {
  agentStillAnswers,
  cancelReplies,
  planReplies,
  type ReplyPlan,
  replyAs,
  roundStopped,
} from "./reply";

export async function runReplyJob(engine: Engine, job: ReplyJob): Promise<void> {
  const conversation = await engine.db.query.conversations.findFirst({
    where: eq(schema.conversations.id, job.conversationId),
  });
  const agentIds = job.replies.map((r) => r.agentId);
  const agents = agentIds.length
    ? await engine.db.select().from(schema.agents).where(inArray(schema.agents.id, agentIds))
    : [];
  const byId = new Map(agents.map((a) => [a.id, a]));
  const m = schema.messages;
  const stops = job.stops ?? conversation?.replyStops ?? 0;
  for (const [i, { agentId, reservationId, retryOf }] of job.replies.entries()) {
    const agent = byId.get(agentId);
    if (!conversation || !agent) {
      await releaseReservation(engine.db, reservationId);
      continue;
    }
    const plan: ReplyPlan = { conversation, userId: job.userId, stops, replies: [] };
    // A person's Stop, during an earlier reply or between two: the replies not begun release their budget.
    const halt = () =>
      cancelReplies(engine, {
        replies: job.replies.slice(i + 1).map((r) => ({ reservationId: r.reservationId })),
      });
    try {
      // What an earlier attempt of this job left of this agent's reply.
      const earlier = await engine.db
        .select()
        .from(m)
        .where(and(eq(m.replyToId, job.replyToId), eq(m.agentId, agentId), isNull(m.runId)))
        .orderBy(asc(m.createdAt), asc(m.id));
      const mine = earlier.filter((row) => (row.metadata.retryOf ?? undefined) === retryOf);
      const cutOff = mine.find((row) => row.status === "streaming");
      if (cutOff) {
        // Its call may have been billed: charged at the reservation's estimate, as a restart would.
        await markReplyCutOff(engine, cutOff);
        await closeCallReservation(engine.db, reservationId);
        if (retryOf || (await roundStopped(engine, conversation.id, stops))) continue;
        const again = await answerAgainOnce(engine, job, conversation, agentId, cutOff.id, earlier);
        if (!again) continue;
        const { stopped } = await replyAs(
          engine,
          { ...again.plan, stops },
          again.agent,
          again.reservationId,
          job.replyToId,
          cutOff.id,
        );
        if (stopped) return await halt();
        continue;
      }
      if (mine.length > 0) {
        // Made already; a retry of a cut-off one may itself have been cut off.
        const retry = earlier.find((row) => row.metadata.retryOf === mine[0]?.id);
        if (retry?.status === "streaming") await markReplyCutOff(engine, retry);
        continue;
      }
      if (await roundStopped(engine, conversation.id, stops)) {
        await releaseReservation(engine.db, reservationId);
        return await halt();
      }
      if (!(await agentStillAnswers(engine, agentId))) {
        await releaseReservation(engine.db, reservationId);
        continue;
      }
      const { stopped } = await replyAs(engine, plan, agent, reservationId, job.replyToId, retryOf);
      if (stopped) return await halt();
    } catch (error) {
      engine.logger.error(`${agent.name} could not reply in conversation ${conversation.id}`, error);
      await releaseReservation(engine.db, reservationId).catch(() => {});
    }
  }
}

/** A new plan (and budget hold) to answer the message again after `cutOffId`, unless that was done already. */
async function answerAgainOnce(
  engine: Engine,
  job: ReplyJob,
  conversation: ReplyPlan["conversation"],
  agentId: string,
  cutOffId: string,
  earlier: (typeof schema.messages.$inferSelect)[],
) {
  if (earlier.some((row) => row.metadata.retryOf === cutOffId)) return null;
  try {
    const plan = await planReplies(engine, {
      conversation,
      userId: job.userId,
      pending: null,
      agentIds: [agentId],
    });
    const reply = plan.replies[0];
    return reply ? { plan, agent: reply.agent, reservationId: reply.reservationId } : null;
  } catch (error) {
    // A limit reached or a provider gone: the reply stays marked cut off for the person to retry.
    engine.logger.error(
      `The reply ${cutOffId} cut off by a stopped worker could not be answered again`,
      error,
    );
    return null;
  }
}
