// Receiving GitHub's webhooks: verified, stored, answered, then processed by an in-process worker.
export {
  type IncomingDelivery,
  listWebhookDeliveries,
  storeWebhookDelivery,
  type WebhookDeliveryItem,
  type WebhookDeliveryRow,
} from "./deliveries";
export { onPullRequestReviewFeedback, REVIEW_FEEDBACK_KIND, type ReviewFeedbackMetadata } from "./feedback";
export { checkVerdict, foldChecks } from "./handlers";
export { processWebhookDelivery } from "./process";
export { verifyWebhookSignature } from "./signature";
export type {
  ChangesRequested,
  GitHubUpdate,
  PostedMessage,
  PullRequestFinished,
  WebhookEffects,
} from "./types";
export { createWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from "./worker";
