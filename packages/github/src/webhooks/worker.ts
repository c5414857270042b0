// The in-process worker that drains `received` deliveries in the order they arrived, one at a time (so the
// events of one pull request apply in order). The database is the queue: deliveries left `received` by a
// crash are simply the first ones drained after the next start. With several server processes this becomes
// a claim step (or a BullMQ queue) in front of `processWebhookDelivery`; nothing else changes.
import type { GitHubDeps } from "../deps";
import { receivedDeliveries } from "./deliveries";
import { processWebhookDelivery } from "./process";
import type { WebhookEffects } from "./types";

const BATCH = 20;

export type WebhookWorker = {
  /** A delivery was stored: drain soon. Returns at once. */
  wake: () => void;
  /** Resolves when nothing is being drained (tests, shutdown). */
  idle: () => Promise<void>;
  /** Stops draining after the delivery under way. */
  close: () => Promise<void>;
};

export type WebhookWorkerOptions = {
  /** Waits this long after a wake before draining; only tests set it (to stop a process before it works). */
  delayMs?: number;
  onError?: (message: string, error: unknown) => void;
};

export function createWebhookWorker(
  deps: GitHubDeps,
  effects: WebhookEffects,
  options: WebhookWorkerOptions = {},
): WebhookWorker {
  let draining: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  async function drain() {
    do {
      again = false;
      for (;;) {
        if (closed) return;
        const batch = await receivedDeliveries(deps.db, BATCH);
        if (batch.length === 0) break;
        for (const delivery of batch) {
          if (closed) return;
          await processWebhookDelivery(deps, effects, delivery);
        }
      }
    } while (again && !closed);
  }

  function start() {
    if (closed) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain()
      .catch((error: unknown) => options.onError?.("Webhook worker stopped draining", error))
      .finally(() => {
        draining = null;
        // A failure of the database itself: the next delivery (or restart) drains again.
      });
  }

  return {
    wake() {
      if (closed) return;
      if (!options.delayMs) return start();
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        start();
      }, options.delayMs);
      timer.unref();
    },
    async idle() {
      while (draining) await draining;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await draining;
    },
  };
}
