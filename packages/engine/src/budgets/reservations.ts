// Reservations hold a model call's worst-case cost against every limit covering it from before the call
// starts until its usage record is settled, so calls running at the same time cannot together pass a limit.
// A reservation for a call writes the call's usage row as `pending` in the same transaction: if the process
// dies before the call ends, start-up recovery charges that row at the reservation (`estimated`).
import { type Executor, microsToUsd, schema } from "@crewdeck/db";
import { and, eq, inArray, lt, type SQL } from "drizzle-orm";
import type { EngineDeps } from "../engine-deps";
import { EngineError } from "../errors";
import { type BudgetLimitRow, type BudgetSubject, findCoveringLimits } from "./covering-limits";
import { dailySpendCapLimit, dailySpendCapUsd } from "./daily-cap";
import { formatUsd } from "./describe";
import { currentPeriodName } from "./periods";
import { measureLimitSpend } from "./spend";

const r = schema.budgetReservations;
const u = schema.usageRecords;

/** What the pending usage row of a reserved call records besides its subject. */
export type PendingCall = {
  provider: string;
  model: string;
  taskId: string | null;
  runId: string | null;
  conversationId: string | null;
};

type LimitFields = Pick<BudgetLimitRow, "name" | "scopeType" | "scopeId" | "period" | "amountMicros"> & {
  id: string | null;
};

function budgetExceeded(limit: LimitFields, spentMicros: number, requestedMicros: number, why: string) {
  return new EngineError(
    "BUDGET_EXCEEDED",
    `${limit.name}: ${formatUsd(spentMicros)} of ${formatUsd(limit.amountMicros)} USD ${currentPeriodName(limit.period)} — ${why}`,
    {
      limitId: limit.id,
      name: limit.name,
      scope: { type: limit.scopeType, id: limit.scopeId },
      period: limit.period,
      spentUsd: microsToUsd(spentMicros),
      limitUsd: microsToUsd(limit.amountMicros),
      requestedUsd: microsToUsd(requestedMicros),
    },
  );
}

/** Why `limit` refuses this call, or null when it lets it through. */
async function refusalBy(
  db: Executor,
  limit: Pick<BudgetLimitRow, "actionOnExceed"> & LimitFields,
  subject: BudgetSubject,
  amountMicros: number,
  now: Date,
): Promise<EngineError | null> {
  if (limit.actionOnExceed === "warn") return null;
  const spend = await measureLimitSpend(db, limit, now);
  if (limit.actionOnExceed === "block") {
    // Calls in flight count at their worst case: that is what makes the guarantee hold under concurrency.
    const committed = spend.settledMicros + spend.heldMicros;
    if (committed + amountMicros <= limit.amountMicros) return null;
    return budgetExceeded(
      limit,
      committed,
      amountMicros,
      `this call could cost up to ${formatUsd(amountMicros)} USD, which would pass the limit (calls in progress included)`,
    );
  }
  // `pause` acts on money actually spent, like the pause `enforceBudgets` applies when it is reached; this
  // also refuses calls that were already waiting when the agents were paused.
  if (spend.settledMicros < limit.amountMicros) return null;
  if (limit.scopeType === "project" && !subject.agentId) return null;
  const paused =
    limit.scopeType === "agent"
      ? "the agent was paused by this limit"
      : limit.scopeType === "project"
        ? "the project's agents were paused by this limit"
        : "model calls are paused by this limit";
  return budgetExceeded(
    limit,
    spend.settledMicros,
    amountMicros,
    `${paused} until it is raised or the period ends`,
  );
}

/** Throws the refusal (402 BUDGET_EXCEEDED) of the first limit, the daily cap first, that `amountMicros` would pass. */
async function refuseOverLimits(
  db: Executor,
  deps: Pick<EngineDeps, "defaultDailySpendCapUsd">,
  subject: BudgetSubject,
  amountMicros: number,
  now: Date,
): Promise<void> {
  const cap = dailySpendCapLimit(
    subject.userId,
    await dailySpendCapUsd(db, deps.defaultDailySpendCapUsd ?? 0),
  );
  for (const limit of [...(cap ? [cap] : []), ...(await findCoveringLimits(db, subject))]) {
    const refusal = await refusalBy(db, limit, subject, amountMicros, now);
    if (refusal) throw refusal;
  }
}

/**
 * Whether a reservation of `amountMicros` would be refused now, without holding anything: refuses as
 * `reserveBudget` would (402 BUDGET_EXCEEDED). For an early answer (a run's start) that reserves nothing.
 */
export async function refuseIfOverBudget(
  deps: Pick<EngineDeps, "db" | "now" | "defaultDailySpendCapUsd">,
  subject: BudgetSubject,
  amountMicros: number,
): Promise<void> {
  await refuseOverLimits(deps.db, deps, subject, amountMicros, deps.now());
}

/**
 * Holds `amountMicros` against every active limit covering the subject and the person's daily spend cap, or
 * refuses (402 BUDGET_EXCEEDED). With `call`, the call's usage row is written `pending` in the same transaction.
 */
export async function reserveBudget(
  deps: Pick<EngineDeps, "db" | "now" | "defaultDailySpendCapUsd">,
  subject: BudgetSubject,
  amountMicros: number,
  options: { runStepId?: string | null; call?: PendingCall } = {},
): Promise<{ reservationId: string }> {
  if (!Number.isSafeInteger(amountMicros) || amountMicros < 0) {
    throw new RangeError(
      `A reservation is a whole, non-negative number of micro-dollars, not ${amountMicros}`,
    );
  }
  const now = deps.now();
  // An immediate transaction takes the write lock before reading, so no other reservation can slip in
  // between this one's check and its insert.
  return deps.db.transaction(
    async (tx) => {
      await refuseOverLimits(tx, deps, subject, amountMicros, now);
      const [row] = await tx
        .insert(r)
        .values({
          userId: subject.userId,
          projectId: subject.projectId,
          agentId: subject.agentId,
          runStepId: options.runStepId ?? null,
          amountMicros,
          createdAt: now,
        })
        .returning({ id: r.id });
      if (!row) throw new Error("reservation insert returned nothing");
      if (options.call) {
        await tx.insert(u).values({
          callId: row.id,
          userId: subject.userId,
          projectId: subject.projectId,
          agentId: subject.agentId,
          runStepId: options.runStepId ?? null,
          ...options.call,
          costMicros: amountMicros,
          // What the row says if nobody ever settles it: the process stopped before the call ended.
          outcome: "interrupted",
          status: "pending",
          createdAt: now,
        });
      }
      return { reservationId: row.id };
    },
    { behavior: "immediate" },
  );
}

/** Ends the holds still `held` that match `where`; returns their ids. */
async function endHolds(
  db: Executor,
  status: "settled" | "released",
  where: SQL | undefined,
): Promise<string[]> {
  const rows = await db
    .update(r)
    .set(status === "settled" ? { status, settledAt: new Date() } : { status })
    .where(and(eq(r.status, "held"), where))
    .returning({ id: r.id });
  return rows.map((row) => row.id);
}

/** held → settled; called inside the transaction that settles the call's usage record with the real cost. */
export async function settleReservation(tx: Executor, reservationId: string): Promise<void> {
  await endHolds(tx, "settled", eq(r.id, reservationId));
}

/** held → released, and the call's pending usage row goes with it: the call was never made. */
export async function releaseReservation(db: Executor, reservationId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(u).where(and(eq(u.callId, reservationId), eq(u.status, "pending")));
    await endHolds(tx, "released", eq(r.id, reservationId));
  });
}

export type ClosedHolds = { estimated: number; released: number };

/**
 * Ends holds whose call nobody will settle (its process stopped): a call that has a pending usage row is
 * charged at its reservation (row `estimated`, hold settled), since it may well have been sent and billed;
 * a hold without one is released.
 */
async function closeHolds(db: Executor, where: SQL | undefined): Promise<ClosedHolds> {
  return db.transaction(async (tx) => {
    const held = await tx
      .select({ id: r.id })
      .from(r)
      .where(and(eq(r.status, "held"), where));
    if (held.length === 0) return { estimated: 0, released: 0 };
    const ids = held.map((h) => h.id);
    const estimated = await tx
      .update(u)
      .set({ status: "estimated" })
      .where(and(inArray(u.callId, ids), eq(u.status, "pending")))
      .returning({ callId: u.callId });
    const charged = estimated.flatMap((row) => (row.callId ? [row.callId] : []));
    await endHolds(tx, "settled", inArray(r.id, charged));
    const released = await endHolds(tx, "released", inArray(r.id, ids));
    return { estimated: charged.length, released: released.length };
  });
}

/** Closes the holds a crashed step left behind (see `closeHolds`). */
export async function closeStepReservations(db: Executor, runStepId: string): Promise<ClosedHolds> {
  return closeHolds(db, eq(r.runStepId, runStepId));
}

/** Closes the hold of one call a crashed process left behind (a chat reply answered again elsewhere). */
export async function closeCallReservation(db: Executor, reservationId: string): Promise<ClosedHolds> {
  return closeHolds(db, eq(r.id, reservationId));
}

/**
 * Closes holds older than `olderThanMs` that nobody will settle (a crashed process), charging the calls
 * that were under way at their estimate; called at start-up.
 */
export async function closeAbandonedReservations(
  db: Executor,
  olderThanMs: number,
  now: Date,
): Promise<ClosedHolds> {
  return closeHolds(db, lt(r.createdAt, new Date(now.getTime() - olderThanMs)));
}
