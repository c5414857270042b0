// One metered, budgeted model call: reserve the worst case (writing the call's usage row as pending), stream,
// then settle the usage row and the reservation in one transaction with the caller's own writes (message,
// step checkpoint). The call's id is the id of its reservation; the usage row is keyed by it.
import { type Executor, preparedOn, schema, type Transaction } from "@crewdeck/db";
import { eq, sql } from "drizzle-orm";
import {
  type BudgetSubject,
  enforceBudgets,
  type PendingCall,
  refuseIfOverBudget,
  releaseReservation,
  reserveBudget,
  settleReservation,
} from "../budgets";
import type { EngineDeps } from "../engine-deps";
import { EngineError } from "../errors";
import { type EventPublisher, transactionWithEvents } from "../events/outbox";
import {
  EMPTY_USAGE,
  ModelCallError,
  type ModelRequest,
  type ModelResponse,
  type ModelUsage,
  type RetryNotice,
} from "../providers/types";
import { costMicros, worstCaseCostMicros } from "../usage/cost";
import type { CallRegistry, CallTags } from "./call-registry";

type ModelRow = typeof schema.models.$inferSelect;

export type CallSubject = CallTags & { runStepId: string | null };

export type CallRecord = {
  usageRecordId: string | null;
  outcome: schema.UsageOutcome;
  usage: ModelUsage;
  costMicros: number;
  durationMs: number;
  model: string;
  provider: string;
};

export type ModelCallInput = {
  subject: CallSubject;
  request: ModelRequest;
  /** A reservation made earlier (so a refusal could answer the request that asked); else one is made here. */
  reservationId?: string | null | undefined;
  signal?: AbortSignal | undefined;
  onText?: ((delta: string) => void) | undefined;
  onRetry?: ((notice: RetryNotice) => void) | undefined;
  /**
   * The caller's writes that must commit with the usage record, so a crash can never leave a charged call
   * without its effect (or an effect without its charge), and the events that announce them (`events`, the
   * transaction's outbox). Runs for failed and aborted calls too.
   */
  commit?:
    | ((
        tx: Transaction,
        record: CallRecord,
        response: ModelResponse | null,
        events: EventPublisher,
      ) => Promise<void>)
    | undefined;
};

export type ModelCallResult =
  | { ok: true; response: ModelResponse; record: CallRecord }
  | { ok: false; error: ModelCallError; record: CallRecord; abortReason: string | null };

export type CallDeps = EngineDeps & { calls: CallRegistry };

/** The active catalog entry for a model id, or a 400 that names it. */
const modelById = preparedOn((db) =>
  db
    .select()
    .from(schema.models)
    .where(eq(schema.models.id, sql.placeholder("modelId")))
    .prepare(),
);

export async function activeModel(db: Executor, modelId: string): Promise<ModelRow> {
  const model = await modelById(db).get({ modelId });
  if (!model?.isActive) {
    throw new EngineError("VALIDATION_ERROR", `The model ${modelId} is not an active model of the catalog`, [
      { field: "modelConfig.model", message: "Not an active model (GET /models)" },
    ]);
  }
  return model;
}

const budgetSubject = (s: CallSubject): BudgetSubject => ({
  userId: s.userId,
  projectId: s.projectId,
  agentId: s.agentId,
});

const pendingCall = (s: CallSubject, model: ModelRow): PendingCall => ({
  provider: model.provider,
  model: model.id,
  taskId: s.taskId,
  runId: s.runId,
  conversationId: s.conversationId,
});

/**
 * Holds a call's worst-case cost against the budget now. Used before anything is stored, so a refused
 * request (402) leaves nothing behind; the call then takes the reservation over.
 */
export async function reserveForCall(
  deps: EngineDeps,
  subject: CallSubject,
  request: ModelRequest,
): Promise<string> {
  const model = await activeModel(deps.db, request.model);
  await deps.providers.get(model.provider);
  const { reservationId } = await reserveBudget(
    deps,
    budgetSubject(subject),
    worstCaseCostMicros(model, request),
    { runStepId: subject.runStepId, call: pendingCall(subject, model) },
  );
  return reservationId;
}

/**
 * Refuses (402) a call the budget would not let through now, as `reserveForCall` would, but holds and
 * writes nothing: for a check made well before the call (a run's start).
 */
export async function checkCallBudget(
  deps: EngineDeps,
  subject: CallSubject,
  request: ModelRequest,
): Promise<void> {
  const model = await activeModel(deps.db, request.model);
  await refuseIfOverBudget(deps, budgetSubject(subject), worstCaseCostMicros(model, request));
}

export async function callModel(deps: CallDeps, input: ModelCallInput): Promise<ModelCallResult> {
  const { subject, request } = input;
  const given = input.reservationId ?? null;
  let heldId: string;
  let model: ModelRow;
  let provider: Awaited<ReturnType<EngineDeps["providers"]["get"]>>;
  try {
    model = await activeModel(deps.db, request.model);
    provider = await deps.providers.get(model.provider);
    heldId =
      given ??
      (
        await reserveBudget(deps, budgetSubject(subject), worstCaseCostMicros(model, request), {
          runStepId: subject.runStepId,
          call: pendingCall(subject, model),
        })
      ).reservationId;
  } catch (error) {
    if (given) await releaseReservation(deps.db, given);
    throw error;
  }

  const controller = new AbortController();
  const forward = () => controller.abort(input.signal?.reason);
  if (input.signal?.aborted) forward();
  input.signal?.addEventListener("abort", forward, { once: true });
  const running = {
    ...subject,
    id: heldId,
    model: model.id,
    startedAt: deps.now(),
    controller,
    abortReason: null as string | null,
  };
  const unregister = deps.calls.add(running);
  const started = performance.now();
  let response: ModelResponse | null = null;
  let failure: ModelCallError | null = null;
  try {
    response = await provider.stream(request, {
      signal: controller.signal,
      onText: input.onText,
      onRetry: input.onRetry,
    });
  } catch (error) {
    failure =
      error instanceof ModelCallError
        ? error
        : new ModelCallError(error instanceof Error ? error.message : String(error), {
            aborted: controller.signal.aborted,
            usage: EMPTY_USAGE,
            partialText: "",
          });
  } finally {
    unregister();
    input.signal?.removeEventListener("abort", forward);
  }

  const usage = response?.usage ?? failure?.info.usage ?? EMPTY_USAGE;
  const record: CallRecord = {
    usageRecordId: null,
    outcome: response ? "success" : failure?.info.aborted ? "cancelled" : "error",
    usage,
    costMicros: costMicros(model, usage),
    durationMs: Math.round(performance.now() - started),
    model: model.id,
    provider: model.provider,
  };
  const providerMessageId = response?.providerMessageId ?? failure?.info.providerMessageId ?? null;
  await transactionWithEvents(deps, async (tx, events) => {
    record.usageRecordId = await recordUsage(tx, heldId, subject, record, providerMessageId);
    await settleReservation(tx, heldId);
    await input.commit?.(tx, record, response, events);
  });
  try {
    await enforceBudgets(deps, budgetSubject(subject));
  } catch (error) {
    deps.logger.error("Budget enforcement failed after a model call", error);
  }
  if (response) return { ok: true, response, record };
  return { ok: false, error: failure as ModelCallError, record, abortReason: running.abortReason };
}

/**
 * Settles the call's usage row with the real figures: one row per call, keyed by our call id, so a settle
 * that runs again updates the row instead of adding one. Written whatever the row's state: pending, or
 * already estimated by another process's recovery (the real figures then replace the estimate).
 */
async function recordUsage(
  tx: Transaction,
  callId: string,
  subject: CallSubject,
  record: CallRecord,
  providerMessageId: string | null,
): Promise<string> {
  const figures = {
    userId: subject.userId,
    projectId: subject.projectId,
    taskId: subject.taskId,
    runId: subject.runId,
    runStepId: subject.runStepId,
    conversationId: subject.conversationId,
    agentId: subject.agentId,
    provider: record.provider,
    model: record.model,
    providerMessageId,
    inputTokens: record.usage.inputTokens,
    outputTokens: record.usage.outputTokens,
    cacheReadTokens: record.usage.cacheReadTokens,
    cacheWriteTokens: record.usage.cacheWriteTokens,
    costMicros: record.costMicros,
    durationMs: record.durationMs,
    outcome: record.outcome,
    status: "settled" as const,
  };
  const [row] = await tx
    .insert(schema.usageRecords)
    .values({ callId, ...figures })
    .onConflictDoUpdate({ target: schema.usageRecords.callId, set: figures })
    .returning({ id: schema.usageRecords.id });
  if (!row) throw new Error("usage record upsert returned nothing");
  return row.id;
}
