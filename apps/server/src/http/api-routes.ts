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
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Hono } from "hono";
import { createOpenApiNodeHttpHandler } from "trpc-to-openapi";
import { errorResponse } from "./errors";
import { type AppEnv, forwardedRequest } from "./request-context";

type Logger = { error: (message: string, error: unknown) => void };

/**
 * Adds the headers a procedure collected to its response, in place: the responses here are built from text,
 * which the Node adapter writes straight to the socket, and a copy built from `response.body` would turn
 * every one into a stream it has to read chunk by chunk.
 */
const withHeaders = (response: Response, extra: Headers): Response => {
  const headers = response.headers;
  extra.forEach((value, name) => {
    if (!headers.has(name)) headers.set(name, value);
  });
  return response;
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

  const rest = createRestHandler(onError);
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
    const response = await rest(req, () =>
      createContext(deps, requestInfo(req, requestId, c.get("clientIp"), resHeaders)),
    );
    const shaped = response.status >= 400 ? await toRestError(response, requestId) : response;
    return withHeaders(shaped, resHeaders);
  });
}

type RestContext = ReturnType<typeof createContext>;

/**
 * trpc-to-openapi's fetch adapter builds its handler on every call: the procedure table, and outside
 * production a full OpenAPI document generated to validate the router, which cost more than the request.
 * This is that adapter with the handler built once; each request's context travels with its request.
 */
function createRestHandler(onError: Parameters<typeof createOpenApiNodeHttpHandler>[0]["onError"]) {
  const contexts = new WeakMap<object, () => RestContext>();
  const handler = createOpenApiNodeHttpHandler({
    router: appRouter,
    createContext: ({ req }: { req: object }) => {
      const create = contexts.get(req);
      if (!create) throw new Error("A REST request reached the handler without its context");
      return create();
    },
    onError,
    // biome-ignore lint/suspicious/noExplicitAny: the node adapter's request and response types are Node's; it is given the fetch adapter's stand-ins, as trpc-to-openapi's own fetch adapter does
  } as any);

  return async (req: Request, createRequestContext: () => RestContext): Promise<Response> => {
    const url = new URL(req.url.replace(REST_BASE_PATH, "")).toString();
    const body = await requestBody(req);
    const proxy = new Proxy(req, {
      get: (target, prop) => {
        if (prop === "url") return url;
        if (prop === "body") {
          if (!body.isValid)
            throw new TRPCError({
              code: "PARSE_ERROR",
              message: "Failed to parse request body",
              cause: body.cause,
            });
          return body.data;
        }
        return Reflect.get(target, prop, target);
      },
    });
    contexts.set(proxy, createRequestContext);
    const resHeaders = new Headers();
    return new Promise<Response>((resolve) => {
      let statusCode = 200;
      const res = {
        setHeader: (name: string, value: string | string[]) => {
          if (typeof value === "string") resHeaders.set(name, value);
          else for (const v of value) resHeaders.append(name, v);
        },
        get statusCode() {
          return statusCode;
        },
        set statusCode(code: number) {
          statusCode = code;
        },
        end: (text?: string) => resolve(new Response(text, { status: statusCode, headers: resHeaders })),
      };
      void handler(proxy as never, res as never);
    });
  };
}

type ParsedBody = { isValid: true; data: unknown } | { isValid: false; cause: unknown };

/** The body as trpc-to-openapi's fetch adapter reads it: JSON, form fields, or the stream untouched. */
async function requestBody(req: Request): Promise<ParsedBody> {
  const type = req.headers.get("content-type");
  try {
    if (type?.includes("application/json")) return { isValid: true, data: JSON.parse(await req.text()) };
    if (type?.includes("application/x-www-form-urlencoded")) {
      const params = new URLSearchParams(await req.text());
      const data: Record<string, string[]> = {};
      for (const key of params.keys()) data[key] = params.getAll(key);
      return { isValid: true, data };
    }
    return { isValid: true, data: req.body };
  } catch (cause) {
    return { isValid: false, cause };
  }
}
