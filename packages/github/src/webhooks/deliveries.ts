// The durable record of webhook deliveries: stored before the hook is answered, so a crash between receipt
// and processing loses nothing, and keyed by GitHub's delivery id, so a redelivery is never processed twice.
import { type Database, iso, type Page, type PageRequest, pageOffset, schema, toPage } from "@crewdeck/db";
import { asc, count, desc, eq } from "drizzle-orm";

export type WebhookDeliveryRow = typeof schema.webhookDeliveries.$inferSelect;

export type IncomingDelivery = {
  /** `X-GitHub-Delivery`. */
  deliveryId: string;
  /** `X-GitHub-Event`. */
  event: string;
  payload: unknown;
};

const t = schema.webhookDeliveries;

const actionOf = (payload: unknown): string | null => {
  const action = (payload as { action?: unknown } | null)?.action;
  return typeof action === "string" ? action : null;
};

/**
 * Stores a delivery as `received`; `stored: false` when one with the same delivery id was stored before
 * (GitHub's redelivery, or a retry after a timeout), which must not be processed again.
 */
export async function storeWebhookDelivery(
  db: Database,
  delivery: IncomingDelivery,
): Promise<{ stored: boolean }> {
  const inserted = await db
    .insert(t)
    .values({
      deliveryId: delivery.deliveryId,
      event: delivery.event,
      action: actionOf(delivery.payload),
      payload: delivery.payload,
    })
    .onConflictDoNothing({ target: t.deliveryId })
    .returning({ id: t.id });
  return { stored: inserted.length > 0 };
}

/** The oldest deliveries still waiting, in the order they arrived. */
export function receivedDeliveries(db: Database, limit: number): Promise<WebhookDeliveryRow[]> {
  return db
    .select()
    .from(t)
    .where(eq(t.status, "received"))
    .orderBy(asc(t.receivedAt), asc(t.id))
    .limit(limit);
}

/** A delivery as administrators see it: its outcome, never its payload. */
export type WebhookDeliveryItem = {
  id: string;
  deliveryId: string;
  event: string;
  action: string | null;
  status: schema.WebhookDeliveryStatus;
  error: string | null;
  receivedAt: string;
  processedAt: string | null;
};

/** Newest first. */
export async function listWebhookDeliveries(
  db: Database,
  page: PageRequest,
): Promise<Page<WebhookDeliveryItem>> {
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: t.id,
        deliveryId: t.deliveryId,
        event: t.event,
        action: t.action,
        status: t.status,
        error: t.error,
        receivedAt: t.receivedAt,
        processedAt: t.processedAt,
      })
      .from(t)
      .orderBy(desc(t.receivedAt), desc(t.id))
      .limit(page.limit)
      .offset(pageOffset(page)),
    db.select({ n: count() }).from(t),
  ]);
  const items = rows.map((row) => ({
    ...row,
    receivedAt: iso(row.receivedAt),
    processedAt: row.processedAt ? iso(row.processedAt) : null,
  }));
  return toPage(items, total?.n ?? 0, page);
}
