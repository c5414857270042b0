// The OpenAPI 3.1 document of the REST façade, generated from the router's meta and zod schemas.
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { z } from "zod";
import { ERROR_CODES } from "./errors";
import { appRouter } from "./root";
import { describeEventStream } from "./routers/events/openapi";
import { zFile } from "./routers/files/types";
import { describeUsageExports } from "./routers/usage/openapi";
import { describeWebhookRoute } from "./routers/webhooks/openapi";

export const REST_BASE_PATH = "/api/v1";

type SchemaObject = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

const TAGS = [
  { name: "health", description: "Liveness and dependencies" },
  { name: "auth", description: "Accounts, tokens, two-factor sign-in and sessions" },
  { name: "api-keys", description: "Keys for integrations (`X-API-Key`)" },
  { name: "users", description: "Your data: export and deletion" },
  { name: "projects", description: "Projects" },
  { name: "project-members", description: "Who may read and work in a project" },
  {
    name: "invitations",
    description: "Invitations to the site (sign-up by invitation) and to projects, and their answers",
  },
  { name: "github", description: "Connecting your GitHub account (OAuth)" },
  { name: "repositories", description: "Your synced GitHub repositories and their branches" },
  { name: "project-repositories", description: "GitHub repositories linked to a project" },
  { name: "models", description: "The model catalog and its prices" },
  { name: "agents", description: "A project's crew of agents" },
  { name: "conversations", description: "Conversations between people and agents, and their messages" },
  {
    name: "files",
    description: "Uploads attached to messages (upload and download are raw multipart routes)",
  },
  { name: "tasks", description: "Tasks: create, edit, assign, complete" },
  { name: "search", description: "Search tasks, chats and messages" },
  { name: "issues", description: "A project's synced GitHub issues, and tasks filed from them" },
  { name: "pull-requests", description: "Pull requests of a project's repositories: review, merge, reject" },
  { name: "notifications", description: "Your notifications" },
  { name: "admin", description: "Site administration: users and system metrics" },
  {
    name: "providers",
    description: "Model provider credentials (admin): Anthropic and OpenAI-compatible servers",
  },
  { name: "runs", description: "Running a task through its crew: start, status, orchestration, cancel" },
  {
    name: "budgets",
    description:
      "Spending limits that warn, pause or block model calls, and spend by project, agent and time",
  },
  {
    name: "usage",
    description: "Tokens and spend by model, agent, project, person and time, in your time zone; CSV exports",
  },
  { name: "analytics", description: "Agent performance: messages, spend, tasks completed, success rate" },
  { name: "emergency", description: "Stop every agent at once, and resume" },
  { name: "events", description: "Live events (raw Server-Sent Events stream)" },
  { name: "webhooks", description: "GitHub webhook deliveries (a raw, signature-checked route)" },
];

const ERROR_SCHEMA: SchemaObject = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "requestId"],
      properties: {
        code: { type: "string", enum: Object.keys(ERROR_CODES) },
        message: { type: "string" },
        details: { description: "For VALIDATION_ERROR, the failing fields: [{ field, message }]" },
        requestId: { type: "string" },
      },
    },
  },
};

type Operation = {
  security?: unknown[];
  parameters?: Array<{ in?: string; name?: string; required?: boolean; schema?: unknown }>;
  requestBody?: unknown;
  responses?: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
  tags?: string[];
};

const RATE_LIMITED = new Set(["/auth/login", "/auth/register", "/auth/2fa/verify"]);

/**
 * Builds the document, then fixes what the generator leaves generic: every error response points at the
 * contract's error shape, public operations say `security: []` explicitly, and the limited ones list 429.
 */
export function createOpenApiDocument(opts: { version: string; serverUrl: string }): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: "Crewdeck API",
    description:
      "Mission control for teams of AI coding agents. Authenticate with `Authorization: Bearer <access token | session token>` or `X-API-Key`. Errors are `{ error: { code, message, details?, requestId } }`.",
    version: opts.version,
    baseUrl: `${opts.serverUrl}${REST_BASE_PATH}`,
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT or session token" },
      apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
    },
  });
  document.tags = TAGS;
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Error: ERROR_SCHEMA },
  };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      if (typeof operation !== "object" || !operation.responses) continue;
      const isPublic = !operation.security;
      if (isPublic) operation.security = [];
      if (method === "delete") deleteInputAsBody(operation);
      if (RATE_LIMITED.has(path) || !isPublic) {
        operation.responses["429"] = { description: "Too many requests (see Retry-After)" };
      }
      if (method === "post" && !isPublic)
        operation.parameters = [...(operation.parameters ?? []), IDEMPOTENCY_KEY];
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        response.content = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
      }
    }
  }
  addRawFileRoutes(document);
  addGitHubCallback(document);
  describeUsageExports(document);
  describeEventStream(document);
  describeWebhookRoute(document);
  return document;
}

/**
 * The generator puts a DELETE's input in the query string, where secrets (DELETE /users/me takes the
 * password) would reach access logs. The REST façade takes it as a JSON body instead (apps/server hands it
 * on), and the document says so.
 */
function deleteInputAsBody(operation: Operation) {
  const query = (operation.parameters ?? []).filter((p) => p.in === "query");
  if (query.length === 0) return;
  operation.parameters = (operation.parameters ?? []).filter((p) => p.in !== "query");
  operation.requestBody = {
    required: query.some((p) => p.required),
    content: {
      "application/json": {
        schema: {
          type: "object",
          properties: Object.fromEntries(query.map((p) => [p.name, p.schema ?? {}])),
          required: query.filter((p) => p.required).map((p) => p.name),
        },
      },
    },
  };
}

const IDEMPOTENCY_KEY = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Makes a retry safe: the first response is stored for 24 h and replayed (with `Idempotent-Replayed: true`) to a retry with the same key and body; the same key with another body is a 409. A response that holds a secret (a new API key, 2FA enrolment, tokens) is never stored: its retry is a 409.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/**
 * The upload and the download are plain HTTP routes (multipart in, bytes out), not procedures; they are
 * described here by hand so integrators find them beside DELETE. `x-crewdeck-raw` marks them.
 */
function addRawFileRoutes(document: OpenAPIObject) {
  document.paths ??= {};
  const paths = document.paths as Record<string, Record<string, unknown>>;
  const security = [{ bearer: [] }, { apiKey: [] }];
  paths["/files"] = {
    ...paths["/files"],
    post: {
      operationId: "files-upload",
      summary: "Upload a file (multipart, field `file`); any type, up to the server's upload limit",
      tags: ["files"],
      security,
      "x-crewdeck-raw": true,
      parameters: [IDEMPOTENCY_KEY],
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: ["file"],
              properties: { file: { type: "string", format: "binary" } },
            },
          },
        },
      },
      responses: {
        "201": {
          description: "Stored; the type is sniffed from the bytes",
          content: { "application/json": { schema: z.toJSONSchema(zFile) } },
        },
        "400": errorResponse("Not multipart, or no file in `file`"),
        "401": errorResponse("Authentication required"),
        "409": errorResponse("Idempotency-Key reused for another upload"),
        "413": errorResponse("Over the upload limit"),
        "429": { description: "Too many requests (see Retry-After)" },
      },
    },
  };
  paths["/files/{fileId}"] = {
    ...paths["/files/{fileId}"],
    get: {
      operationId: "files-download",
      summary: "Download a file: its uploader, or a member of a project it is attached in",
      tags: ["files"],
      security,
      "x-crewdeck-raw": true,
      parameters: [{ name: "fileId", in: "path", required: true, schema: { type: "string" } }],
      responses: {
        "200": {
          description: "The bytes, with the sniffed Content-Type and an ETag of their sha256",
          content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
        },
        "304": { description: "Not modified (If-None-Match)" },
        "401": errorResponse("Authentication required"),
        "404": errorResponse("No such file, or not yours to see"),
      },
    },
  };
}

/** GitHub's OAuth redirect lands on a plain route: it answers with a redirect to the web app, never JSON. */
function addGitHubCallback(document: OpenAPIObject) {
  document.paths ??= {};
  const paths = document.paths as Record<string, Record<string, unknown>>;
  const query = (name: string, description: string) => ({
    name,
    in: "query",
    required: false,
    description,
    schema: { type: "string" },
  });
  paths["/github/callback"] = {
    get: {
      operationId: "github-callback",
      summary:
        "GitHub's OAuth redirect: exchanges the code and redirects to {APP_URL}/settings?github=connected (or =error&reason=)",
      description:
        "Signed in by the session cookie, the code is exchanged here for that account (the state must be its own). Without a cookie (the web app uses bearer tokens) the browser is sent to {APP_URL}/settings?github=finish with the code and state in the URL fragment, and the page finishes with POST /github/connect.",
      tags: ["github"],
      security: [],
      "x-crewdeck-raw": true,
      parameters: [
        query("code", "GitHub's single-use code"),
        query("state", "The state from GET /github/connect-url"),
        query("error", "GitHub's refusal, e.g. access_denied"),
      ],
      responses: { "302": { description: "To the web app's settings, with the outcome in the query" } },
    },
  };
}
