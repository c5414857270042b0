import { WEBHOOK_DELIVERY_STATUSES } from "@crewdeck/domain";
import { z } from "zod";
import { zIsoDate, zPage } from "../../lib/schemas";

export const zWebhookDelivery = z.object({
  id: z.string(),
  /** GitHub's `X-GitHub-Delivery`. */
  deliveryId: z.string(),
  /** GitHub's `X-GitHub-Event`. */
  event: z.string(),
  action: z.string().nullable(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  /** Why processing failed, for `failed`. */
  error: z.string().nullable(),
  receivedAt: zIsoDate,
  processedAt: zIsoDate.nullable(),
});
export const zWebhookDeliveryPage = zPage(zWebhookDelivery);
