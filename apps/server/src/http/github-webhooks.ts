// Raw `POST /api/v1/webhooks/github` (§2.8): no user signs these, GitHub does. The body is read once, as
// bytes, so the signature is checked over exactly what GitHub sent; a delivery that passes is stored and
// answered 202 at once, and the webhook worker processes it afterwards. Nothing unsigned is ever stored.
import { type ApiDeps, REST_BASE_PATH } from "@crewdeck/api";
import {
  resolveGitHubConfig,
  storeWebhookDelivery,
  verifyWebhookSignature,
  type WebhookWorker,
} from "@crewdeck/github";
import type { Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "./app";
import { errorResponse } from "./errors";
import type { AppEnv } from "./request-context";

export const GITHUB_WEBHOOK_PATH = `${REST_BASE_PATH}/webhooks/github`;
/** GitHub caps payloads at 25 MB and drops larger ones itself. */
const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
const MAX_HEADER_LENGTH = 200;

export type GitHubWebhookRouteOptions = { worker: WebhookWorker; logger: Logger };

/** The payload of a JSON or form-encoded (`payload=<json>`) delivery; undefined when it is neither. */
function parsePayload(contentType: string, body: Uint8Array): unknown {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      const payload = new URLSearchParams(text).get("payload");
      return payload === null ? undefined : JSON.parse(payload);
    }
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function mountGitHubWebhookRoute(app: Hono<AppEnv>, deps: ApiDeps, opts: GitHubWebhookRouteOptions) {
  let warnedUnconfigured = false;

  const receive = async (c: Context<AppEnv>): Promise<Response> => {
    const requestId = c.get("requestId");
    const refuse = (status: number, code: "UNAUTHORIZED" | "VALIDATION_ERROR", message: string) =>
      errorResponse(status, code, message, requestId);
    const body = new Uint8Array(await c.req.arrayBuffer());
    const { webhookSecret } = await resolveGitHubConfig(deps.github.db, deps.github.env, deps.github.secret);
    if (!webhookSecret) {
      const message =
        "This server has no GitHub webhook secret configured, so it accepts no deliveries: set GITHUB_WEBHOOK_SECRET, or store one under Administration → GitHub, and give GitHub the same secret.";
      if (!warnedUnconfigured) {
        warnedUnconfigured = true;
        opts.logger.error(`GitHub webhook refused: ${message}`);
      }
      return refuse(401, "UNAUTHORIZED", message);
    }
    if (!verifyWebhookSignature(webhookSecret, body, c.req.header("x-hub-signature-256"))) {
      return refuse(
        401,
        "UNAUTHORIZED",
        "The X-Hub-Signature-256 header is missing or does not match the body under this server's webhook secret",
      );
    }
    const event = c.req.header("x-github-event")?.trim() ?? "";
    const deliveryId = c.req.header("x-github-delivery")?.trim() ?? "";
    const missing = [
      ...(event && event.length <= MAX_HEADER_LENGTH
        ? []
        : [{ field: "X-GitHub-Event", message: "Required" }]),
      ...(deliveryId && deliveryId.length <= MAX_HEADER_LENGTH
        ? []
        : [{ field: "X-GitHub-Delivery", message: "Required" }]),
    ];
    if (missing.length > 0) {
      return errorResponse(
        400,
        "VALIDATION_ERROR",
        "GitHub's delivery headers are missing",
        requestId,
        missing,
      );
    }
    const payload = parsePayload(c.req.header("content-type") ?? "", body);
    if (payload === undefined || payload === null || typeof payload !== "object") {
      return refuse(
        400,
        "VALIDATION_ERROR",
        "The body is not a GitHub event payload (JSON, or form-encoded `payload`)",
      );
    }
    const { stored } = await storeWebhookDelivery(deps.db, { deliveryId, event, payload });
    if (stored) opts.worker.wake();
    return c.json({ received: true, deliveryId, duplicate: !stored }, 202);
  };

  app.post(GITHUB_WEBHOOK_PATH, async (c) => {
    let response: Response | undefined;
    const refused = await bodyLimit({
      maxSize: MAX_WEBHOOK_BYTES,
      onError: (c) =>
        errorResponse(
          413,
          "PAYLOAD_TOO_LARGE",
          `Webhook deliveries are limited to ${MAX_WEBHOOK_BYTES} bytes`,
          c.get("requestId"),
        ),
    })(c, async () => {
      response = await receive(c);
    });
    return response ?? (refused as Response);
  });
}
