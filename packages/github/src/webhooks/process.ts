// Processing one stored delivery: its event's handler, then the live effects, then its outcome. A handler's
// error marks the delivery `failed` with the reason; it never reaches the worker.
import { schema } from "@crewdeck/db";
import { and, eq } from "drizzle-orm";
import type { GitHubDeps } from "../deps";
import type { WebhookDeliveryRow } from "./deliveries";
import { WEBHOOK_HANDLERS } from "./handlers";
import type { HandlerOutcome, WebhookEffects } from "./types";

const MAX_ERROR_LENGTH = 2_000;

export async function processWebhookDelivery(
  deps: GitHubDeps,
  effects: WebhookEffects,
  delivery: WebhookDeliveryRow,
): Promise<schema.WebhookDeliveryStatus> {
  const handler = WEBHOOK_HANDLERS[delivery.event];
  let outcome: HandlerOutcome | null = null;
  let error: string | null = null;
  if (handler) {
    try {
      outcome = await handler(deps, delivery.payload, delivery.event);
    } catch (failure) {
      error = (failure instanceof Error ? failure.message : String(failure)).slice(0, MAX_ERROR_LENGTH);
      deps.logger?.error(`Webhook ${delivery.event} ${delivery.deliveryId} failed: ${error}`);
    }
  }
  // Announced before the outcome is stored: a crash in between repeats an announcement, never loses one.
  for (const update of outcome?.updates ?? []) await announce(deps, () => effects.githubUpdated(update));
  for (const message of outcome?.messages ?? []) await announce(deps, () => effects.messagePosted(message));
  const { changesRequested, pullRequestFinished } = effects;
  if (changesRequested) {
    for (const review of outcome?.reviews ?? []) await announce(deps, () => changesRequested(review));
  }
  if (pullRequestFinished) {
    for (const pull of outcome?.finished ?? []) await announce(deps, () => pullRequestFinished(pull));
  }
  const status = error ? "failed" : (outcome?.status ?? "ignored");
  const t = schema.webhookDeliveries;
  await deps.db
    .update(t)
    .set({ status, error, processedAt: deps.now() })
    .where(and(eq(t.id, delivery.id), eq(t.status, "received")));
  return status;
}

/**
 * A live event that cannot be published leaves the stored rows right; the next screen load shows them. The
 * review loop's effects are best effort the same way: a revision that cannot start leaves the feedback
 * recorded for the next run.
 */
async function announce(deps: GitHubDeps, publish: () => Promise<void>) {
  try {
    await publish();
  } catch (error) {
    deps.logger?.error("Webhook: a live event could not be published", error);
  }
}
