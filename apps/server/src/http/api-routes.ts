// tRPC at /trpc and its REST façade at /api/v1: the same router, context and errors.
import {
  type ApiDeps,
  appRouter,
  type ContractError,
  createContext,
  createOpenApiDocument,
  REST_BASE_PATH,
  TRPC_MAX_BATCH_SIZE,
} from "@crewdeck/api";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Hono } from "hono";
import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { errorResponse } from "./errors";
import { type AppEnv, forwardedRequest } from "./request-context";

type Logger = { error: (message: string, error: unknown) => void };

const withHeaders = (response: Response, extra: Headers): Response => {
  const headers = new Headers(response.headers);
  extra.forEach((value, name) => {
    if (!headers.has(name)) headers.set(name, value);
  });
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
};

/** A POST or PATCH without a body (`curl -X POST …/agents/{id}/pause`) means `{}`, not a 415 or a parse error. */
function emptyBodyAsJson(req: Request): Request {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "DELETE") return req;
  const length = req.headers.get("content-length");
  if ((length !== null && length !== "0") || req.headers.has("transfer-encoding")) return req;
  const headers = new Headers(req.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  return new Request(req.url, { method: req.method, headers, body: "{}" });
}

/**
 * trpc-to-openapi reads a DELETE's input from the query string only; the contract takes it as a JSON body
 * (DELETE /users/me carries the password, which must stay out of URLs and their logs). The body's fields
 * are handed to the façade as query parameters of the internal request. Null when the body is not a JSON
 * object of plain values.
 */
async function deleteBodyAsQuery(req: Request): Promise<Request | null> {
  if (req.method !== "DELETE" || !/^application\/json/i.test(req.headers.get("content-type") ?? ""))
    return req;
  const text = await req.text();
  if (!text.trim()) return new Request(req.url, { method: req.method, headers: req.headers });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const url = new URL(req.url);
  for (const [name, value] of Object.entries(body)) {
    if (value !== null && typeof value === "object") return null;
    url.searchParams.set(name, String(value));
  }
  const headers = new Headers(req.headers);
  headers.delete("content-type");
  headers.delete("content-length");
  return new Request(url, { method: req.method, headers });
}

/** trpc-to-openapi spreads tRPC's error envelope into the body; REST clients get the contract's shape alone. */
async function toRestError(response: Response, requestId: string): Promise<Response> {
  const text = await response.text();
  let body: { data?: { error?: ContractError } } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = body?.data?.error;
  const headers = new Headers(response.headers);
  headers.set("Content-Type", "application/json");
  if (!error) {
    return errorResponse(
      response.status,
      response.status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR",
      "Request failed",
      requestId,
    );
  }
  return new Response(JSON.stringify({ error: { ...error, requestId } }), {
    status: response.status,
    headers,
  });
}

export function mountApi(app: Hono<AppEnv>, deps: ApiDeps, opts: { appUrl: string; logger: Logger }) {
  const requestInfo = (req: Request, requestId: string, clientIp: string | null, resHeaders: Headers) => ({
    requestId,
    method: req.method,
    headers: req.headers,
    resHeaders,
    clientIp,
  });
  const onError = ({
    error,
    path,
  }: {
    error: { code: string; message: string; cause?: unknown };
    path?: string | undefined;
  }) => {
    if (error.code === "INTERNAL_SERVER_ERROR")
      opts.logger.error(`API ${path ?? "?"} failed`, error.cause ?? error);
  };

  app.all("/trpc/*", async (c) => {
    const req = forwardedRequest(c);
    const resHeaders = new Headers();
    const response = await fetchRequestHandler({
      endpoint: "/trpc",
      req,
      router: appRouter,
      // One request may not fan out into more procedure calls than the web app ever batches.
      maxBatchSize: TRPC_MAX_BATCH_SIZE,
      createContext: () =>
        createContext(deps, requestInfo(req, c.get("requestId"), c.get("clientIp"), resHeaders)),
      onError,
    });
    return withHeaders(response, resHeaders);
  });

  let document: ReturnType<typeof createOpenApiDocument> | undefined;
  app.get(`${REST_BASE_PATH}/openapi.json`, (c) => {
    document ??= createOpenApiDocument({ version: deps.settings.version, serverUrl: opts.appUrl });
    return c.json(document);
  });

  app.all(`${REST_BASE_PATH}/*`, async (c) => {
    const requestId = c.get("requestId");
    const req = await deleteBodyAsQuery(emptyBodyAsJson(forwardedRequest(c)));
    if (!req)
      return errorResponse(
        400,
        "VALIDATION_ERROR",
        "A DELETE body is a JSON object of plain values",
        requestId,
      );
    const resHeaders = new Headers();
    const response = await createOpenApiFetchHandler({
      endpoint: REST_BASE_PATH,
      req,
      router: appRouter,
      createContext: () => createContext(deps, requestInfo(req, requestId, c.get("clientIp"), resHeaders)),
      onError,
    });
    const shaped = response.status >= 400 ? await toRestError(response, requestId) : response;
    return withHeaders(shaped, resHeaders);
  });
}
