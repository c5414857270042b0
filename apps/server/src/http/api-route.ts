// Raw routes (files, the event stream, the multipart task start) run with the same API context, guards
// and error shape as the procedures.
import {
  type ApiDeps,
  type AuthedContext,
  asApiError,
  authenticateRequest,
  createContext,
  toContractError,
  withinCredentialProject,
} from "@crewdeck/api";
import { TRPCError } from "@trpc/server";
import type { Context } from "hono";
import { errorResponse } from "./errors";
import { type AppEnv, forwardedRequest } from "./request-context";

/** Headers the guards collected (rate limits) belong on every response, errors included. */
function withHeaders(response: Response, extra: Headers): Response {
  extra.forEach((value, name) => {
    if (!response.headers.has(name)) response.headers.set(name, value);
  });
  return response;
}

/**
 * Runs a route with the API context the procedures would get, after the same guards. Errors from the
 * guards and services leave in the contract's shape; anything else reaches the app's 500 handler.
 */
export async function asApiRoute(
  c: Context<AppEnv>,
  deps: ApiDeps,
  route: (api: AuthedContext) => Promise<Response>,
): Promise<Response> {
  const requestId = c.get("requestId");
  const resHeaders = new Headers();
  try {
    const api = createContext(deps, {
      requestId,
      method: c.req.method,
      headers: forwardedRequest(c).headers,
      resHeaders,
      clientIp: c.get("clientIp"),
    });
    const safe = ["GET", "HEAD", "OPTIONS"].includes(c.req.method);
    const viewer = await authenticateRequest(api, { access: safe ? "read" : "write" });
    const response = await withinCredentialProject(viewer.apiKey?.projectId ?? null, () =>
      route({ ...api, viewer }),
    );
    return withHeaders(response, resHeaders);
  } catch (error) {
    const known = asApiError(error) ?? (error instanceof TRPCError ? error : null);
    if (!known) throw error;
    const { status, body } = toContractError(known, requestId);
    return withHeaders(errorResponse(status, body.code, body.message, requestId, body.details), resHeaders);
  }
}
