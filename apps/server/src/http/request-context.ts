// Per-request facts every route needs: the request id and the caller's address.

import { CLIENT_IP_HEADER } from "@crewdeck/auth";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { uuidv7 } from "uuidv7";

export type AppVariables = { requestId: string; clientIp: string | null };
export type AppEnv = { Variables: AppVariables };

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

export const requestContext =
  (opts: { trustProxy: boolean }): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const given = c.req.header("x-request-id");
    const requestId = given && CLIENT_REQUEST_ID.test(given) ? given : uuidv7();
    c.set("requestId", requestId);
    const forwarded = opts.trustProxy ? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() : undefined;
    let socketAddress: string | undefined;
    try {
      socketAddress = getConnInfo(c).remote.address;
    } catch {
      socketAddress = undefined;
    }
    c.set("clientIp", forwarded || socketAddress || null);
    await next();
    c.header("X-Request-Id", requestId);
  };

/**
 * The request as handed to the API and better-auth: the client address travels in an internal header
 * that a client cannot forge (whatever it sent under that name is replaced).
 */
export function forwardedRequest(c: Context<AppEnv>): Request {
  const headers = new Headers(c.req.raw.headers);
  headers.delete(CLIENT_IP_HEADER);
  const ip = c.get("clientIp");
  if (ip) headers.set(CLIENT_IP_HEADER, ip);
  const init: RequestInit & { duplex?: "half" } = { method: c.req.method, headers };
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    init.body = c.req.raw.body;
    init.duplex = "half";
  }
  return new Request(c.req.url, init);
}
