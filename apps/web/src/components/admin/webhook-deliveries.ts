// How a GitHub webhook delivery reads in the administration list.
import type { RouterOutputs } from "../../lib/trpc";
import type { BadgeTone } from "../ui/badge";

export type WebhookDelivery = RouterOutputs["webhooks"]["deliveries"]["list"]["items"][number];

const STATUS: Record<WebhookDelivery["status"], { label: string; tone: BadgeTone }> = {
  received: { label: "Waiting", tone: "warn" },
  processed: { label: "Processed", tone: "ok" },
  ignored: { label: "Ignored", tone: "neutral" },
  failed: { label: "Failed", tone: "danger" },
};

export const deliveryStatus = (status: WebhookDelivery["status"]) => STATUS[status];

/** `pull_request.closed`, or the event alone when it has no action (`push`, `ping`). */
export const deliveryEvent = (delivery: Pick<WebhookDelivery, "event" | "action">): string =>
  delivery.action ? `${delivery.event}.${delivery.action}` : delivery.event;
