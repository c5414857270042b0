// Reservations hold a model call's worst-case cost against every limit covering it from before the call
// starts until its usage record is written, so calls running at the same time cannot together pass a limit.
import { type Executor, microsToUsd, schema } from "@crewdeck/db";
import { and, eq, lt, type SQL } from "drizzle-orm";
import type { EngineDeps } from "../engine-deps";
import { EngineError } from "../errors";
import { type BudgetLimitRow, type BudgetSubject, findCoveringLimits } from "./covering-limits";
import { formatUsd } from "./describe";
import { currentPeriodName } from "./periods";
import { measureLimitSpend } from "./spend";

const r = schema.budgetReservations;

function budgetExceeded(limit: BudgetLimitRow, spentMicros: number, requestedMicros: number, why: string) {
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
  limit: BudgetLimitRow,
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

/** Holds `amountMicros` against every active limit covering the subject, or refuses (402 BUDGET_EXCEEDED). */
export async function reserveBudget(
  deps: Pick<EngineDeps, "db" | "now">,
  subject: BudgetSubject,
  amountMicros: number,
  options: { runStepId?: string | null } = {},
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
      for (const limit of await findCoveringLimits(tx, subject)) {
        const refusal = await refusalBy(tx, limit, subject, amountMicros, now);
        if (refusal) throw refusal;
      }
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
      return { reservationId: row.id };
    },
    { behavior: "immediate" },
  );
}

/** Ends the holds still `held` that match `where`; returns how many. */
async function endHolds(
  db: Executor,
  status: "settled" | "released",
  where: SQL | undefined,
): Promise<number> {
  const rows = await db
    .update(r)
    .set(status === "settled" ? { status, settledAt: new Date() } : { status })
    .where(and(eq(r.status, "held"), where))
    .returning({ id: r.id });
  return rows.length;
}

/** held → settled; called inside the transaction that writes the call's usage record (which now carries the real cost). */
export async function settleReservation(tx: Executor, reservationId: string): Promise<void> {
  await endHolds(tx, "settled", eq(r.id, reservationId));
}

/** held → released (the call was never made or never charged). */
export async function releaseReservation(db: Executor, reservationId: string): Promise<void> {
  await endHolds(db, "released", eq(r.id, reservationId));
}

/** Releases holds a crashed step left behind; returns how many. */
export async function releaseStepReservations(db: Executor, runStepId: string): Promise<number> {
  return endHolds(db, "released", eq(r.runStepId, runStepId));
}

/** Holds older than `olderThanMs` that nobody will settle (a crashed process); called at start-up. */
export async function releaseAbandonedReservations(
  db: Executor,
  olderThanMs: number,
  now: Date,
): Promise<number> {
  return endHolds(db, "released", lt(r.createdAt, new Date(now.getTime() - olderThanMs)));
}
