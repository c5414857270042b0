// The raw webhook receiver in the OpenAPI document, described by hand: it is a plain route (the signature
// covers the exact bytes, so no procedure may parse the body first), marked `x-crewdeck-raw`.
import type { OpenAPIObject } from "trpc-to-openapi";

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

const header = (name: string, description: string, required = true) => ({
  name,
  in: "header",
  required,
  description,
  schema: { type: "string" },
});

export function describeWebhookRoute(document: OpenAPIObject): void {
  document.paths ??= {};
  const paths = document.paths as Record<string, Record<string, unknown>>;
  paths["/webhooks/github"] = {
    ...paths["/webhooks/github"],
    post: {
      operationId: "webhooks-github",
      summary: "Receive a GitHub webhook delivery (signed with the webhook secret)",
      description: [
        "Point a repository's, organisation's or GitHub App's webhook here with content type",
        "`application/json` (or `application/x-www-form-urlencoded`) and the secret configured as",
        "GITHUB_WEBHOOK_SECRET or under Administration → GitHub. The signature is checked over the raw body;",
        "the delivery is stored and answered with 202 at once, then processed: issues, issue_comment,",
        "pull_request, pull_request_review, push, check_suite, check_run, installation (and ping). A",
        "delivery id seen before is answered 202 again and not processed twice. Administrators see the",
        "outcomes at GET /admin/webhook-deliveries.",
      ].join(" "),
      tags: ["webhooks"],
      security: [],
      "x-crewdeck-raw": true,
      parameters: [
        header("X-Hub-Signature-256", "`sha256=<hex HMAC-SHA256 of the body under the webhook secret>`"),
        header("X-GitHub-Event", "The event name (`pull_request`, `issues`, `ping`…)"),
        header("X-GitHub-Delivery", "GitHub's id of this delivery; redeliveries repeat it"),
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": { schema: { type: "object", description: "GitHub's event payload" } },
          "application/x-www-form-urlencoded": {
            schema: { type: "object", properties: { payload: { type: "string" } } },
          },
        },
      },
      responses: {
        "202": {
          description: "Stored (or already stored: `duplicate: true`); processed after the answer",
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["received", "deliveryId", "duplicate"],
                properties: {
                  received: { type: "boolean", const: true },
                  deliveryId: { type: "string" },
                  duplicate: { type: "boolean" },
                },
              },
            },
          },
        },
        "400": errorResponse("No event or delivery header, or a body that is not a JSON payload"),
        "401": errorResponse(
          "Missing or wrong signature, or no webhook secret configured on this server; nothing is stored",
        ),
        "413": errorResponse("Over GitHub's 25 MB payload limit"),
      },
    },
  };
}
