// The OpenAPI 3.1 document of the REST façade, generated from the router's meta and zod schemas.
import { generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import { ERROR_CODES } from "./errors";
import { appRouter } from "./root";

export const REST_BASE_PATH = "/api/v1";

type SchemaObject = NonNullable<NonNullable<OpenAPIObject["components"]>["schemas"]>[string];

const TAGS = [
  { name: "health", description: "Liveness and dependencies" },
  { name: "auth", description: "Accounts, tokens, two-factor sign-in and sessions" },
  { name: "api-keys", description: "Keys for integrations (`X-API-Key`)" },
  { name: "users", description: "Your data: export and deletion" },
  { name: "projects", description: "Projects" },
  { name: "project-members", description: "Who may read and work in a project" },
  { name: "project-repositories", description: "GitHub repositories linked to a project" },
  { name: "models", description: "The model catalog and its prices" },
  { name: "agents", description: "A project's crew of agents" },
  { name: "conversations", description: "Conversations between people and agents, and their messages" },
  {
    name: "files",
    description: "Uploads attached to messages (upload and download are raw multipart routes)",
  },
  { name: "tasks", description: "Tasks: create, edit, assign, complete" },
  { name: "notifications", description: "Your notifications" },
  { name: "admin", description: "Site administration: users and system metrics" },
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
    for (const operation of Object.values(item as Record<string, Operation>)) {
      if (typeof operation !== "object" || !operation.responses) continue;
      if (!operation.security) operation.security = [];
      if (RATE_LIMITED.has(path)) operation.responses["429"] = { description: "Too many attempts" };
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        response.content = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
      }
    }
  }
  return document;
}
